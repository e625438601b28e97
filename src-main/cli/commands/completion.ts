/**
 * `provisioning completion bash|zsh|fish`: a script that completes commands, options, service and
 * operation names. Each script is a thin shell function that asks `provisioning __complete` (see
 * complete.ts) on every Tab, so it never goes stale as commands or the registry change, and that
 * path neither starts nor asks the daemon.
 */
import type { CliIo } from '../cli-io';

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

export function completion(io: CliIo, shell: CompletionShell): void {
  io.stdout.write(SCRIPTS[shell]);
}

// The answer's first line is `words` (candidates follow, `word<TAB>description`) or `files`.
const SCRIPTS: Record<CompletionShell, string> = {
  bash: `# provisioning completion for bash. Load it with
#   source <(provisioning completion bash)
# in ~/.bashrc, or save it as ~/.local/share/bash-completion/completions/provisioning
_provisioning_complete() {
  local line kind=
  COMPREPLY=()
  while IFS= read -r line; do
    if [[ -z $kind ]]; then kind=$line; continue; fi
    COMPREPLY+=("\${line%%$'\\t'*}")
  done < <(command provisioning __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  if [[ $kind == files ]]; then
    COMPREPLY=()
    compopt -o default
  fi
}
complete -F _provisioning_complete provisioning
`,
  zsh: `#compdef provisioning
# provisioning completion for zsh. Load it with
#   source <(provisioning completion zsh)
# in ~/.zshrc after compinit, or save it as _provisioning in a folder of your $fpath
_provisioning() {
  local -a reply described
  local line word
  reply=("\${(@f)$(command provisioning __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  if [[ \${reply[1]} == files ]]; then
    _files
    return
  fi
  for line in "\${(@)reply[2,-1]}"; do
    [[ -n $line ]] || continue
    word=\${\${line%%$'\\t'*}//:/\\\\:}
    if [[ $line == *$'\\t'?* ]]; then described+=("$word:\${line#*$'\\t'}"); else described+=("$word"); fi
  done
  _describe -t provisioning provisioning described
}
if (( $+functions[compdef] )); then
  compdef _provisioning provisioning
else
  print -u2 'provisioning completion: run compinit before loading it (autoload -Uz compinit && compinit)'
fi
`,
  fish: `# provisioning completion for fish. Save it with
#   provisioning completion fish > ~/.config/fish/completions/provisioning.fish
function __provisioning_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -l reply (command provisioning __complete -- $words (commandline -ct) 2>/dev/null)
    if test "$reply[1]" = files
        __fish_complete_path (commandline -ct)
        return
    end
    set -e reply[1]
    printf '%s\\n' $reply
end
complete -c provisioning -f -a '(__provisioning_complete)'
`,
};
