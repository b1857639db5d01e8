//go:build tools

// Package tools pins the commands this module builds: Kubernetes' own, and the add-ons built against the
// same k8s.io modules, so that they share one build.
package tools

import (
	_ "k8s.io/kube-state-metrics/v2"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubeadm"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
