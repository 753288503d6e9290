/** Thrown by the plugin's constructor for options that cannot work, saying which option and how to fix it. */
export class StompyOptionsError extends TypeError {
  constructor(message: string) {
    super(`StompyPlugin: ${message}`);
    this.name = 'StompyOptionsError';
  }
}
