import pino from 'pino';

/** A logger that writes nothing, for plugins and servers whose logs a test does not read. */
export const silentLogger = pino({ level: 'silent' });
