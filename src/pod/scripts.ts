// scripts.ts: `script` → a file in /tekton/scripts written by the place-scripts init container
// (pkg/pod/script.go; TEKTON-FACTS §2.5). Scripts travel base64-encoded so Kubernetes' `$(VAR)`
// expansion of args never touches them; the entrypoint's decode-script restores them in place.
import type { V1Container } from '@kubernetes/client-node';
import { restrictLengthWithRandomSuffix } from './names.ts';
import { SCRIPTS_DIR, binMount, scriptsMount } from './volumes.ts';

/** DEFAULT_SCRIPT_PREAMBLE prefixes scripts without a shebang: they run under /bin/sh with set -e. */
export const DEFAULT_SCRIPT_PREAMBLE = '#!/bin/sh\nset -e\n';

/** ScriptContainer is a container plus its optional script, before conversion. */
export interface ScriptContainer {
  container: V1Container;
  script?: string;
}

/**
 * convertScripts rewrites every container with a script to run its script file and returns the
 * place-scripts init container (undefined when no container has a script).
 */
export function convertScripts(
  shellImage: string,
  steps: ScriptContainer[],
  sidecars: ScriptContainer[],
  randomSuffix: () => string,
): { placeScripts?: V1Container; steps: V1Container[]; sidecars: V1Container[] } {
  const init: V1Container = {
    name: 'place-scripts',
    image: shellImage,
    command: ['sh'],
    args: ['-c', ''],
    volumeMounts: [scriptsMount(false), binMount()],
  };
  const convert = (list: ScriptContainer[], prefix: string) =>
    list.map((c, i) => {
      if (!c.script) return c.container;
      const file = `${SCRIPTS_DIR}/${restrictLengthWithRandomSuffix(`${prefix}-${i}`, randomSuffix())}`;
      init.args![1] += placeScript(c.script, file);
      return { ...c.container, command: [file], volumeMounts: [...(c.container.volumeMounts ?? []), scriptsMount(true)] };
    });
  const convertedSteps = convert(steps, 'script');
  const convertedSidecars = convert(sidecars, 'sidecar-script');
  const any = [...steps, ...sidecars].some((c) => c.script);
  return { placeScripts: any ? init : undefined, steps: convertedSteps, sidecars: convertedSidecars };
}

// The heredoc delimiter `_EOF_` cannot occur in base64 output.
function placeScript(script: string, file: string): string {
  const full = script.trim().startsWith('#!') ? script : DEFAULT_SCRIPT_PREAMBLE + script;
  const encoded = Buffer.from(full, 'utf8').toString('base64');
  return `scriptfile="${file}"
touch \${scriptfile} && chmod +x \${scriptfile}
cat > \${scriptfile} << '_EOF_'
${encoded}
_EOF_
/tekton/bin/entrypoint decode-script "\${scriptfile}"
`;
}
