// undici's client parts, imported by path (src/drains/core/undici-client.ts): its index brings
// fetch, WebSocket, caches, mocks and proxies too. undici has no "exports" map, so these paths
// resolve; their types are the package's own.
declare module 'undici/lib/dispatcher/pool.js' {
  import type { Pool } from 'undici';

  const PoolClass: typeof Pool;
  export default PoolClass;
}
declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici';

  const request: (this: Dispatcher, opts: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
  export default request;
}
