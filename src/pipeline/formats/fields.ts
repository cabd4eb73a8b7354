import { cc, eqf } from './chars.js';

export const K_NONE = 0;
export const K_LEVEL = 1; // names; numbers on the pino/syslog/Monolog scale
export const K_NAME = 2; // names only (severityText, level_name)
export const K_PYNUM = 3; // Python levelno
export const K_SEVERITY = 4; // journald `PRIORITY`: names; numbers as syslog
export const K_OTELNUM = 5; // OpenTelemetry severity number
export const K_LOG = 6; // docker json-file "log" string, or ECS "log": {"level": …}
export const K_MONGO = 7; // MongoDB "s": "I" | "W" | "E" | "F" | "D1".."D5"
export const K_MYSQL = 8; // MySQL 8's JSON error log "prio": 0 system, 1 error, 2 warning, 3 note
/**
 * `status`: names only, and only in a record with no level key of its own (Datadog's reserved
 * attribute is the log level in its JSON; beside a `level` it is a job's or a request's outcome)
 */
export const K_STATUS = 9;
/**
 * `severity`: names (Google Cloud's LogSeverity is text); a number is syslog's only beside a facility
 * key (rsyslog's syslogseverity / syslogfacility): alone it is a bug tracker's or a scanner's
 */
export const K_APP_SEVERITY = 10;

/** Kind of a top-level JSON key, from its characters between ks and ke (exclusive). */
export function keyKind(s: string, ks: number, ke: number): number {
  const n = ke - ks;
  const f = cc(s, ks) | 0x20;
  switch (n) {
    case 1:
      return f === 115 ? K_MONGO : K_NONE;
    case 2:
      return cc(s, ks) === 64 && (cc(s, ks + 1) | 0x20) === 108 ? K_LEVEL : K_NONE; // @l
    case 3:
      if (f === 108) {
        if (eqf(s, ks, 'lvl')) return K_LEVEL;
        if (eqf(s, ks, 'log')) return K_LOG;
      }
      // katip's `sev` (Debug Info Notice Warning Error Critical Alert Emergency): names only
      return f === 115 && eqf(s, ks, 'sev') ? K_NAME : K_NONE;
    case 4:
      return f === 112 && eqf(s, ks, 'prio') ? K_MYSQL : K_NONE;
    case 5:
      return f === 108 && eqf(s, ks, 'level') ? K_LEVEL : K_NONE;
    case 6:
      if (cc(s, ks) === 64 && eqf(s, ks + 1, 'level')) return K_LEVEL; // @level
      if (f === 115 && eqf(s, ks, 'status')) return K_STATUS;
      return K_NONE;
    case 7:
      return f === 108 && eqf(s, ks, 'levelno') ? K_PYNUM : K_NONE;
    case 8:
      if (f === 115 && eqf(s, ks, 'severity')) return K_APP_SEVERITY;
      // journald JSON: "PRIORITY":"3", written in capitals; an app's own `priority` (a job's, a
      // ticket's: 1 is urgent) is no syslog severity
      if (f === 112 && cc(s, ks) === 80 && s.startsWith('RIORITY', ks + 1)) return K_SEVERITY;
      if (f === 108 && eqf(s, ks, 'loglevel')) return K_LEVEL; // loglevel, LogLevel (.NET JSON)
      return K_NONE;
    case 9:
      if (f === 108) {
        if (eqf(s, ks, 'levelname')) return K_NAME;
        if (eqf(s, ks, 'log') && cc(s, ks + 3) === 46 && eqf(s, ks + 4, 'level')) return K_LEVEL; // log.level
        if (eqf(s, ks, 'log') && cc(s, ks + 3) === 95 && eqf(s, ks + 4, 'level')) return K_LEVEL; // log_level
      }
      return K_NONE;
    case 10:
      if (f === 108 && eqf(s, ks, 'level') && cc(s, ks + 5) === 95 && eqf(s, ks + 6, 'name')) return K_NAME;
      return K_NONE;
    case 12:
      return f === 115 && eqf(s, ks, 'severitytext') ? K_NAME : K_NONE;
    case 13:
      if (f === 115 && eqf(s, ks, 'severity') && cc(s, ks + 8) === 95 && eqf(s, ks + 9, 'text')) {
        return K_NAME;
      }
      return K_NONE;
    case 14:
      if (f === 101 && eqf(s, ks, 'error') && cc(s, ks + 5) === 95 && eqf(s, ks + 6, 'severity'))
        return K_NAME; // PostgreSQL jsonlog
      // rsyslog's property as a key (jsonmesg, json templates): syslog's severity, a number or its text
      if (f === 115 && eqf(s, ks, 'syslog') && eqf(s, ks + 6, 'severity')) return K_SEVERITY;
      return f === 115 && eqf(s, ks, 'severitynumber') ? K_OTELNUM : K_NONE;
    case 15:
      if (f === 115 && eqf(s, ks, 'severity') && cc(s, ks + 8) === 95 && eqf(s, ks + 9, 'number')) {
        return K_OTELNUM;
      }
      return K_NONE;
    case 19: // rsyslog's syslogseverity-text: emerg alert crit err warning notice info debug
      return f === 115 && eqf(s, ks, 'syslog') && eqf(s, ks + 6, 'severity-text') ? K_NAME : K_NONE;
  }
  return K_NONE;
}

/** Is a logfmt key at ks..ke (exclusive) a level key? */
export function isLogfmtLevelKey(s: string, ks: number, ke: number): boolean {
  const n = ke - ks;
  const f = cc(s, ks) | 0x20;
  // Heroku's router: "at=error code=H12 desc=…" (https://devcenter.heroku.com/articles/error-codes)
  if (n === 2) return cc(s, ks) === 97 && cc(s, ks + 1) === 116;
  if (f !== 108 && f !== 115) return false;
  if (n === 5) return eqf(s, ks, 'level');
  if (n === 3) return eqf(s, ks, 'lvl');
  if (n === 8) return eqf(s, ks, 'severity') || eqf(s, ks, 'loglevel');
  if (n === 9) return eqf(s, ks, 'log') && (cc(s, ks + 3) === 46 || cc(s, ks + 3) === 95);
  return false;
}

/** Is the key at ks..ke (exclusive) `severity` (any case)? Its number is syslog's only beside a facility. */
export function isSeverityKey(s: string, ks: number, ke: number): boolean {
  return ke - ks === 8 && eqf(s, ks, 'severity');
}
