/**
 * Loaded into a server by make profile (`node --import`). Between a 'start' and a 'stop' message on the
 * process's IPC channel, V8's sampling heap profiler records what the server allocates, objects already
 * collected included; 'stop' is answered with the profile.
 */
import { Session } from 'node:inspector/promises'
import type { HeapProfiler } from 'node:inspector'

/** Sampling every 128 bytes on average: fine enough for the few kilobytes of one request. */
const SAMPLING: HeapProfiler.StartSamplingParameterType & { includeObjectsCollectedByMajorGC: boolean, includeObjectsCollectedByMinorGC: boolean } = {
  samplingInterval: 128,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true
}

const session = new Session()
session.connect()

async function handle (message: unknown): Promise<void> {
  if (message === 'start') {
    await session.post('HeapProfiler.enable')
    await session.post('HeapProfiler.startSampling', SAMPLING)
    process.send?.('started')
  } else if (message === 'stop') {
    const { profile } = await session.post('HeapProfiler.stopSampling')
    process.send?.({ profile })
  }
}

process.on('message', (message) => { void handle(message) })
