import type { BundleOptions } from '@temporalio/worker';
import type { SerializedWorkflowRule } from '../common/workflow-rules';

/** A webpack configuration, as the SDK's bundler hook passes it. */
export type WebpackConfiguration = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];

/** The bare identifier DefinePlugin replaces in the workflow bundle with the workflow rules' JSON. */
const RULES_GLOBAL = '__STOMPY_WORKFLOW_RULES__';

/**
 * The workflow interceptor module (absolute path, so the bundler resolves it under strict pnpm
 * layouts), for `interceptors.workflowModules` or `bundleWorkflowCode({ workflowInterceptorModules })`.
 */
export const STOMPY_WORKFLOW_MODULE = require.resolve('../workflow/workflow-interceptors');

/** A bundler hook that carries the workflow rules into the sandbox (they cannot be passed at run time). */
export function workflowRulesHook(
  rules: readonly SerializedWorkflowRule[],
): (config: WebpackConfiguration) => WebpackConfiguration {
  const definitions = { [RULES_GLOBAL]: JSON.stringify(JSON.stringify(rules)) };
  return (config) => ({ ...config, plugins: [...(config.plugins ?? []), definePlugin(definitions)] });
}

/** `modules` with the plugin's workflow module added once. */
export function withWorkflowModule(modules: string[] | undefined): string[] {
  return modules?.includes(STOMPY_WORKFLOW_MODULE) ? modules : [...(modules ?? []), STOMPY_WORKFLOW_MODULE];
}

interface WebpackPlugin {
  apply(compiler: {
    webpack: { DefinePlugin: new (definitions: Record<string, string>) => WebpackPlugin };
  }): void;
}

/**
 * DefinePlugin taken from the running compiler, never imported: webpack belongs to
 * `@temporalio/worker`, and the compiler's own copy is the one bundling.
 */
function definePlugin(definitions: Record<string, string>): WebpackPlugin {
  return {
    apply(compiler) {
      new compiler.webpack.DefinePlugin(definitions).apply(compiler);
    },
  };
}
