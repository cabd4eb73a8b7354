/**
 * The HTTP vendor drains the reliability tests run against, each with its contract-enforcing
 * receiver. A drain that is not registered (yet) is listed in `missing` and skipped, never faked.
 */
import { DRAIN_SPECS } from '../../src/drains/registry.js';
import { AxiomReceiver } from '../receivers/axiom.js';
import { DatadogReceiver } from '../receivers/datadog.js';
import { ElasticsearchReceiver } from '../receivers/elasticsearch.js';
import type { HttpReceiver, ReceiverOptions } from '../receivers/http-receiver.js';
import { LokiReceiver } from '../receivers/loki.js';
import { NewRelicReceiver } from '../receivers/new-relic.js';
import { OtlpReceiver } from '../receivers/otlp.js';
import { SplunkHecReceiver } from '../receivers/splunk-hec.js';
import { WebhookReceiver } from '../receivers/webhook.js';

export const HEC_TOKEN = '11111111-2222-3333-4444-555555555555';
export const DD_KEY = 'abcdef0123456789abcdef0123456789';
export const NR_KEY = 'abcdef0123456789abcdef0123456789abcdNRAL';
export const AXIOM_TOKEN = 'xaat-01234567-89ab-cdef-0123-456789abcdef';
export const AXIOM_DATASET = 'app-logs';
export const OTLP_AUTH = 'Bearer otlp-0123456789';
export const ES_API_KEY = Buffer.from('id0123:key0123456789').toString('base64');

export interface Vendor {
  id: string;
  // biome-ignore lint/suspicious/noExplicitAny: each vendor has its own record type
  receiver(o: ReceiverOptions<any>): HttpReceiver<any>;
  env(url: string): Record<string, string>;
  /** the shipped message of one accepted record */
  message(r: unknown): string | undefined;
}

const obj = (r: unknown): Record<string, unknown> => (r ?? {}) as Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const ALL_VENDORS: Vendor[] = [
  {
    id: 'webhook',
    receiver: (o) => new WebhookReceiver({ ...o }),
    env: (url) => ({ WEBHOOK_URL: url, WEBHOOK_GZIP: '1' }),
    message: (r) => str(obj(r).message),
  },
  {
    id: 'splunk_hec',
    receiver: (o) => new SplunkHecReceiver({ tokens: [HEC_TOKEN], ...o }),
    env: (url) => ({ LOGS_ENABLE_SPLUNK: '1', SPLUNK_HEC_TOKEN: HEC_TOKEN, SPLUNK_HEC_URL: url }),
    message: (r) => str(obj(obj(r).event).message),
  },
  {
    id: 'datadog',
    receiver: (o) => new DatadogReceiver({ apiKeys: [DD_KEY], ...o }),
    env: (url) => ({ DATADOG_TOKEN: DD_KEY, DATADOG_URL: `${url}/api/v2/logs` }),
    message: (r) => str(obj(r).message),
  },
  {
    id: 'new_relic',
    receiver: (o) => new NewRelicReceiver({ keys: [NR_KEY], ...o }),
    env: (url) => ({ NEW_RELIC_LICENSE_KEY: NR_KEY, NEW_RELIC_URL: url }),
    message: (r) => str(obj(obj(r).log).message),
  },
  {
    id: 'axiom',
    receiver: (o) => new AxiomReceiver({ tokens: [AXIOM_TOKEN], dataset: AXIOM_DATASET, ...o }),
    env: (url) => ({ AXIOM_TOKEN, AXIOM_DATASET, AXIOM_URL: url }),
    message: (r) => str(obj(r).message),
  },
  {
    id: 'otlp',
    receiver: (o) => new OtlpReceiver({ tokens: [OTLP_AUTH], ...o }),
    env: (url) => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: url,
      OTEL_EXPORTER_OTLP_HEADERS: `authorization=${encodeURIComponent(OTLP_AUTH)}`,
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
    }),
    message: (r) => str(obj(r).body),
  },
  {
    id: 'loki',
    receiver: (o) => new LokiReceiver({ tokens: ['loki-0123456789'], ...o }),
    env: (url) => ({ LOKI_URL: url, LOKI_TOKEN: 'loki-0123456789' }),
    message: (r) => str(obj(r).line),
  },
  {
    id: 'elasticsearch',
    receiver: (o) => new ElasticsearchReceiver({ apiKeys: [ES_API_KEY], ...o }),
    env: (url) => ({ ELASTICSEARCH_URL: url, ELASTICSEARCH_API_KEY: ES_API_KEY }),
    message: (r) => str(obj(r).message),
  },
];

const registered = new Set(DRAIN_SPECS.map((s) => s.id));
export const VENDORS = ALL_VENDORS.filter((v) => registered.has(v.id));
export const MISSING = ALL_VENDORS.filter((v) => !registered.has(v.id)).map((v) => v.id);
