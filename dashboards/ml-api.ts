import {
  DashboardBuilder, DashboardCursorSync, DatasourceVariableBuilder, QueryVariableBuilder, RowBuilder, VariableHide, VariableRefresh, VariableSort
} from '@grafana/grafana-foundation-sdk/dashboard'
import { LegendDisplayMode, LegendPlacement } from '@grafana/grafana-foundation-sdk/common'
import { PanelBuilder as PieChart, PieChartLabels, PieChartLegendOptionsBuilder, PieChartLegendValues } from '@grafana/grafana-foundation-sdk/piechart'
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus'
import { PanelBuilder as Stat } from '@grafana/grafana-foundation-sdk/stat'
import { PanelBuilder as Table } from '@grafana/grafana-foundation-sdk/table'
import { PanelBuilder as TimeSeries } from '@grafana/grafana-foundation-sdk/timeseries'

/*
 * The ml-api dashboard. `$job` is the release's Service name: the chart names the Deployment and the HPA
 * the same, so kube-state-metrics series are selected by it too. Pod CPU and memory come from cAdvisor
 * and HPA state from kube-state-metrics, selected the way kubernetes-mixin does.
 */

const DATASOURCE = { type: 'prometheus', uid: '$datasource' }
const APP = 'namespace="$namespace", job="$job", pod=~"$pod"'
const PODS = 'namespace="$namespace", pod=~"$pod", container!="", image!=""'
const HPA = 'namespace="$namespace", horizontalpodautoscaler="$job"'
const PREDICTION_ROUTES = 'route=~"/predict|/v1/models/.*|/v2/models/.*infer"'

const query = (expr: string, legend: string) => new DataqueryBuilder().expr(expr).legendFormat(legend).datasource(DATASOURCE)
const tableQuery = (expr: string, refId: string) => new DataqueryBuilder().expr(expr).instant().format(PromQueryFormat.Table).refId(refId).datasource(DATASOURCE)

function timeseries (title: string, description: string, unit: string, ...targets: DataqueryBuilder[]): TimeSeries {
  const panel = new TimeSeries().title(title).description(description).unit(unit).datasource(DATASOURCE).span(8).height(8).min(0)
  for (const target of targets) panel.withTarget(target)
  return panel
}

const quantile = (q: string) =>
  query(`histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{${APP}, ${PREDICTION_ROUTES}}[$__rate_interval])))`, `p${Number(q) * 100}`)

export function mlApiDashboard () {
  return new DashboardBuilder('ml-api')
    .uid('ml-api-overview')
    .description('ml-api model server: traffic, latency, errors, load shedding, model inputs, pods and autoscaling.')
    .tags(['ml-api', 'model-serving'])
    .refresh('30s')
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .tooltip(DashboardCursorSync.Crosshair)
    .withVariable(new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'))
    .withVariable(new QueryVariableBuilder('namespace').label('Namespace').datasource(DATASOURCE)
      .query('label_values(ml_model_info, namespace)').refresh(VariableRefresh.OnTimeRangeChanged).sort(VariableSort.AlphabeticalAsc))
    .withVariable(new QueryVariableBuilder('job').label('Release').description('the release\'s Service (and Deployment and HPA) name').datasource(DATASOURCE)
      .query('label_values(ml_model_info{namespace="$namespace"}, job)').refresh(VariableRefresh.OnTimeRangeChanged).sort(VariableSort.AlphabeticalAsc))
    .withVariable(new QueryVariableBuilder('pod').label('Pod').datasource(DATASOURCE)
      .query('label_values(ml_model_info{namespace="$namespace", job="$job"}, pod)').refresh(VariableRefresh.OnTimeRangeChanged)
      .sort(VariableSort.AlphabeticalAsc).multi(true).includeAll(true).hide(VariableHide.DontHide))

    .withRow(new RowBuilder('Traffic'))
    .withPanel(timeseries('Request rate', 'Requests answered per second, by route pattern.', 'reqps',
      query(`sum by (route) (rate(http_requests_total{${APP}}[$__rate_interval]))`, '{{route}}')))
    .withPanel(timeseries('Error rate', 'Responses with a 4xx or 5xx status per second, and errors by type (ml_errors_total).', 'reqps',
      query(`sum by (status_code) (rate(http_requests_total{${APP}, status_code=~"4..|5.."}[$__rate_interval]))`, '{{status_code}}'),
      query(`sum by (type) (rate(ml_errors_total{${APP}}[$__rate_interval])) > 0`, '{{type}}')))
    .withPanel(new PieChart().title('Prediction distribution').description('Rows predicted per class over the time range.')
      .datasource(DATASOURCE).span(8).height(8).displayLabels([PieChartLabels.Percent])
      .legend(new PieChartLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.Table).placement(LegendPlacement.Right)
        .values([PieChartLegendValues.Value, PieChartLegendValues.Percent]))
      .withTarget(query(`sum by (class) (increase(ml_predictions_total{${APP}}[$__range]))`, '{{class}}')))

    .withRow(new RowBuilder('Latency'))
    .withPanel(timeseries('Latency (prediction routes)', 'p50, p95 and p99 from the http_request_duration_seconds histogram, and the mean.', 's',
      quantile('0.5'), quantile('0.95'), quantile('0.99'),
      query(`sum(rate(http_request_duration_seconds_sum{${APP}, ${PREDICTION_ROUTES}}[$__rate_interval])) / sum(rate(http_request_duration_seconds_count{${APP}, ${PREDICTION_ROUTES}}[$__rate_interval]))`, 'mean')))
    .withPanel(timeseries('Time in the model', 'p99 of the time spent in the compiled forest per request.', 's',
      query(`histogram_quantile(0.99, sum by (le) (rate(ml_prediction_duration_seconds_bucket{${APP}}[$__rate_interval])))`, 'p99')))
    .withPanel(timeseries('Batch size', 'Mean rows per prediction request.', 'short',
      query(`sum(rate(ml_batch_size_sum{${APP}}[$__rate_interval])) / sum(rate(ml_batch_size_count{${APP}}[$__rate_interval]))`, 'rows per request')))

    .withRow(new RowBuilder('Saturation'))
    .withPanel(timeseries('Load shedding', 'Requests shed with 503 under pressure, by reason (event-loop delay or utilisation, heap, RSS).', 'reqps',
      query(`sum by (reason) (rate(ml_shed_requests_total{${APP}}[$__rate_interval]))`, '{{reason}}')))
    .withPanel(timeseries('Event-loop lag', 'p99 event-loop lag of each pod (prom-client default metrics).', 's',
      query(`max by (pod) (nodejs_eventloop_lag_p99_seconds{${APP}})`, '{{pod}}')))
    .withPanel(timeseries('Requests in flight', 'Requests being processed, per pod.', 'short',
      query(`sum by (pod) (ml_active_requests{${APP}})`, '{{pod}}')))

    .withRow(new RowBuilder('Model'))
    .withPanel(timeseries('Out-of-range inputs', 'Input values outside the training range of their feature, per second: the cheapest drift signal.', 'short',
      query(`sum by (feature) (rate(ml_input_out_of_range_total{${APP}}[$__rate_interval]))`, '{{feature}}')))
    .withPanel(new Stat().title('Model accuracy').description('Hold-out accuracy of the served model, from its artifact.')
      .datasource(DATASOURCE).unit('percentunit').decimals(1).span(4).height(8)
      .withTarget(query(`max(ml_model_accuracy{${APP}})`, 'accuracy')))
    .withPanel(new Table().title('Models served').description('Model version and sha256 of each pod: more than one row per version means a mixed rollout.')
      .datasource(DATASOURCE).span(12).height(8)
      .withTarget(tableQuery(`max by (pod, model, version, sha256) (ml_model_info{${APP}})`, 'A')))

    .withRow(new RowBuilder('Pods and autoscaling'))
    .withPanel(timeseries('Pods', 'Pods Prometheus scrapes successfully, and the available replicas of the Deployment (kube-state-metrics).', 'short',
      query(`count(up{namespace="$namespace", job="$job"} == 1)`, 'scraped'),
      query('sum(kube_deployment_status_replicas_available{namespace="$namespace", deployment="$job"})', 'available')))
    .withPanel(timeseries('CPU per pod', 'CPU cores used by each pod\'s containers (cAdvisor).', 'short',
      query(`sum by (pod) (rate(container_cpu_usage_seconds_total{${PODS}}[$__rate_interval]))`, '{{pod}}')))
    .withPanel(timeseries('Memory per pod', 'Working-set memory of each pod\'s containers (cAdvisor): what the OOM killer and evictions look at.', 'bytes',
      query(`sum by (pod) (container_memory_working_set_bytes{${PODS}})`, '{{pod}}')))
    .withPanel(new Table().title('HPA status').description('Current, desired, minimum and maximum replicas of the HorizontalPodAutoscaler (kube-state-metrics).')
      .datasource(DATASOURCE).span(12).height(6)
      .withTarget(tableQuery(`max by (horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_current_replicas{${HPA}})`, 'current'))
      .withTarget(tableQuery(`max by (horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_desired_replicas{${HPA}})`, 'desired'))
      .withTarget(tableQuery(`max by (horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_min_replicas{${HPA}})`, 'min'))
      .withTarget(tableQuery(`max by (horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_max_replicas{${HPA}})`, 'max'))
      .withTransformation({ id: 'merge', options: {} })
      .withTransformation({ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { 'Value #current': 'current', 'Value #desired': 'desired', 'Value #min': 'min', 'Value #max': 'max' } } }))
    .withPanel(timeseries('Replicas', 'Current and desired replicas against the HPA bounds.', 'short',
      query(`max(kube_horizontalpodautoscaler_status_current_replicas{${HPA}})`, 'current'),
      query(`max(kube_horizontalpodautoscaler_status_desired_replicas{${HPA}})`, 'desired'),
      query(`max(kube_horizontalpodautoscaler_spec_min_replicas{${HPA}})`, 'min'),
      query(`max(kube_horizontalpodautoscaler_spec_max_replicas{${HPA}})`, 'max')).span(12).height(6))
    .build()
}
