import { startCommand } from '../scripts/start-command.js'

/** The server's arguments exactly as `npm start` (and the image) runs it, and the node flags among them. */
export const [API, NODE_FLAGS] = startCommand()
/** The bare route under the same node flags, so that a comparison is of the code alone. */
export const BARE = [...NODE_FLAGS, 'dist/bench/bare-server.js']
export const MODEL = { MODEL_PATH: 'models/iris-rf.json', DRAIN_DELAY_MS: '0' }
/** The one-row body both servers answer. */
export const ROW = JSON.stringify({ features: [6.1, 2.8, 4.7, 1.2] })
