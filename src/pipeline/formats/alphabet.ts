import { DEBUG, ERROR, FATAL, INFO, NO_LEVEL, TRACE, WARN } from '../levels.js';

export const NUM_PINO = 1;
export const NUM_PYTHON = 2;
export const NUM_SYSLOG = 3;
export const NUM_OTEL = 4;

export function levelFromNumber(v: number, scale: number): number {
  switch (scale) {
    case NUM_PINO:
      // pino/bunyan 10..60 (a custom level between two bands takes the lower one), Monolog 100..600;
      // 0..7 has no one scale (smallLevel reads it by the record's keys)
      if (v >= 10 && v < 100) return v >= 60 ? FATAL : v - (v % 10);
      if (v >= 100 && v <= 600) {
        if (v < 200) return DEBUG;
        if (v < 300) return INFO; // 200 INFO, 250 NOTICE
        if (v < 400) return WARN;
        if (v < 500) return ERROR;
        return FATAL; // 500 CRITICAL, 550 ALERT, 600 EMERGENCY
      }
      return NO_LEVEL;
    case NUM_PYTHON:
      if (v <= 0) return NO_LEVEL;
      if (v < 10) return TRACE; // uvicorn/loguru TRACE = 5
      if (v < 20) return DEBUG;
      if (v < 30) return INFO; // loguru SUCCESS = 25
      if (v < 40) return WARN;
      if (v < 50) return ERROR;
      return FATAL;
    case NUM_SYSLOG:
      return v >= 0 && v <= 7 ? syslogLevel(v) : NO_LEVEL;
    case NUM_OTEL:
      if (v < 1 || v > 24) return NO_LEVEL;
      if (v <= 4) return TRACE;
      if (v <= 8) return DEBUG;
      if (v <= 12) return INFO;
      if (v <= 16) return WARN;
      if (v <= 20) return ERROR;
      return FATAL;
  }
  return NO_LEVEL;
}

export function syslogLevel(v: number): number {
  if (v <= 2) return FATAL; // emerg, alert, crit
  if (v === 3) return ERROR;
  if (v === 4) return WARN;
  if (v <= 6) return INFO; // notice, info
  return DEBUG;
}

/** The one-letter severities of Ruby's Logger (D, I, W, E, F) and glog/klog (I, W, E, F), by char code. */
export function severityLetter(c: number): number {
  switch (c) {
    case 68: // D
      return DEBUG;
    case 73: // I
      return INFO;
    case 87: // W
      return WARN;
    case 69: // E
      return ERROR;
    case 70: // F
      return FATAL;
  }
  return NO_LEVEL;
}

/**
 * log/slog's level with an offset, as its handlers print a custom level: "DEBUG-4" (slog's -8, the
 * trace level users define), "INFO+2" (a notice), "ERROR+4" (a fatal level)
 * (https://pkg.go.dev/log/slog#Level.String). The base word's slog value (DEBUG -4, INFO 0, WARN 4,
 * ERROR 8) plus the offset, read back on slog's steps of 4: OpenTelemetry's slog bridge maps level
 * v to severity number v + 9, and these are its bands (1–4 trace … 21–24 fatal). A word slog does
 * not print keeps its level.
 */
export function slogOffsetLevel(base: number, offset: number): number {
  if (base !== DEBUG && base !== INFO && base !== WARN && base !== ERROR) return base;
  // slog writes each level from the named one below it, so a minus only after DEBUG: `ERROR-1045`
  // (an error's code) is no slog level and must not make an error a trace
  if (offset < 0 && base !== DEBUG) return base;
  const v = (base - INFO) / 2.5 + offset; // DEBUG → -4, INFO → 0, WARN → 4, ERROR → 8
  if (v < -4) return TRACE;
  if (v < 0) return DEBUG;
  if (v < 4) return INFO;
  if (v < 8) return WARN;
  return v < 12 ? ERROR : FATAL;
}
