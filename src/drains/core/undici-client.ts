/**
 * The part of undici the HTTP transport uses: its keep-alive Pool and the request API. Imported
 * by path and loaded lazily (http-transport.ts): undici's index also loads fetch, WebSocket,
 * caches, mocks and proxy agents, and costs a thread +19 MB of RSS where these two cost +11 MB
 * (measured with require() in a bare node); the main thread, which reads drain settings but
 * sends nothing, loads neither.
 */

import request from 'undici/lib/api/api-request.js';
import Pool from 'undici/lib/dispatcher/pool.js';

export { Pool, request };
