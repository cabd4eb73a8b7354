import { DEBUG, ERROR, FATAL, INFO, NO_LEVEL, TRACE, WARN } from '../levels.js';

export const NUM_PINO = 1;
export const NUM_PYTHON = 2;
export const NUM_SYSLOG = 3;
export const NUM_OTEL = 4;

export function levelFromNumber(v: number, scale: number): number {
  switch (scale) {
    case NUM_PINO:
      // pino/bunyan 10..60 (a custom level between two bands takes the lower one), GELF/syslog 0..7,
      // Monolog 100..600.
      if (v >= 10 && v < 100) return v >= 60 ? FATAL : v - (v % 10);
      if (v >= 0 && v <= 7) return syslogLevel(v);
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
