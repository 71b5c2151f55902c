import pino from "pino";

// JSON logs on stdout, one line an event. LOG_LEVEL is read directly (not through config())
// so that a configuration error can itself be logged.
const store = globalThis as unknown as { __wakeboardLog?: pino.Logger };

export const log: pino.Logger = (store.__wakeboardLog ??= pino({
  name: "wakeboard",
  level: process.env.LOG_LEVEL ?? "info",
  base: { pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
}));
