/** Whether the server takes new work. Set to draining on SIGTERM, before the listener closes. */
export class Lifecycle {
  draining = false

  startDraining (): void {
    this.draining = true
  }
}
