/**
 * Lambda's Node.js runtimes and the day each is deprecated: from then on Lambda no longer patches it and blocks
 * creating functions on it (updates follow a month or two later). From AWS's "Lambda runtimes" page
 * (lambda/latest/dg/lambda-runtimes.html, "Supported runtimes" and "Deprecated runtimes"); add a runtime here
 * when Lambda releases it, and correct a date when AWS moves it.
 */
export const NODE_RUNTIME_DEPRECATIONS: Readonly<Record<string, string>> = {
  'nodejs24.x': '2028-04-30',
  'nodejs22.x': '2027-04-30',
  'nodejs20.x': '2026-04-30',
  'nodejs18.x': '2025-09-01',
  'nodejs16.x': '2024-06-12',
  'nodejs14.x': '2023-12-04',
  'nodejs12.x': '2023-03-31',
  'nodejs10.x': '2021-07-30',
};

/**
 * Why a function may not be created on `runtime` on `today`, or undefined when it may: the runtime is past its
 * deprecation day, or is not a Node.js runtime this table knows (so its date cannot be checked).
 *
 * @example
 * runtimeProblem('nodejs20.x', new Date('2026-12-04')); // 'nodejs20.x is deprecated since 2026-04-30: …'
 */
export function runtimeProblem(runtime: string, today: Date): string | undefined {
  const deprecation = NODE_RUNTIME_DEPRECATIONS[runtime];
  if (deprecation === undefined)
    return `${runtime} is not a Lambda Node.js runtime with a known deprecation date (known: ${Object.keys(NODE_RUNTIME_DEPRECATIONS).join(', ')})`;
  if (today.toISOString().slice(0, 10) < deprecation) return undefined;
  const supported = Object.entries(NODE_RUNTIME_DEPRECATIONS)
    .filter(([, date]) => date > today.toISOString().slice(0, 10))
    .map(([name]) => name);
  return `${runtime} is deprecated since ${deprecation}: Lambda blocks creating functions on it; runtimes in standard support: ${supported.join(', ') || 'none known'}`;
}
