#!/usr/bin/env bash
# readme-smoke.sh runs every ```sh block of a Markdown file (the README's walkthrough), in order and
# in one shell, from the repository root, and fails when a command's exit code is not the one
# expected: 0, or N where the command's last line ends in "# exit N". It prints each command
# before running it. Background commands (ending in &) are stopped when the script ends.
# Usage: scripts/readme-smoke.sh README.md
set -euo pipefail
doc=${1:?usage: $0 FILE.md}
cd "$(dirname "$0")/.."
script=$(mktemp)
trap 'rm -f "$script"' EXIT

# Turn the blocks into one bash script: each logical command (continuation lines and here-document
# bodies included) runs with errexit off, and its exit code is checked against the expected one.
{
  echo 'trap '\''kill $(jobs -p) 2>/dev/null || true'\'' EXIT'
  echo 'check() { if [ "$1" -ne "$2" ]; then echo "readme-smoke: '"$doc"':$3: exit $1, expected $2" >&2; exit 1; fi; }'
  in_block=0 cmd="" start=0 heredoc="" n=0
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    if [ $in_block = 0 ]; then
      [[ $line == '```sh' ]] && in_block=1
      continue
    fi
    if [ -z "$heredoc" ] && [ -z "$cmd" ] && [[ $line == '```' ]]; then
      in_block=0
      continue
    fi
    if [ -z "$cmd" ]; then
      [[ -z ${line// /} || $line =~ ^[[:space:]]*# ]] && continue
      start=$n
    fi
    cmd+="$line"$'\n'
    if [ -n "$heredoc" ]; then
      [[ $line == "$heredoc" ]] && heredoc="" || continue
    elif [[ $line =~ \<\<-?\'?\"?([A-Za-z_]+) ]]; then
      heredoc=${BASH_REMATCH[1]}
      continue
    elif [[ $line == *\\ ]]; then
      continue
    fi
    # The command is complete.
    want=0
    last=$(printf '%s' "$cmd" | tail -n 1)
    [[ $last =~ \#[[:space:]]*exit[[:space:]]+([0-9]+)[[:space:]]*$ ]] && want=${BASH_REMATCH[1]}
    first=$(printf '%s' "$cmd" | head -n 1)
    printf 'echo %q >&2\n' "+ $first"
    if [[ $last =~ \&[[:space:]]*$ ]]; then
      printf '%s' "$cmd"
    else
      printf 'set +e\n%sst=$?\nset -e\ncheck "$st" %d %d\n' "$cmd" "$want" "$start"
    fi
    cmd=""
  done <"$doc"
  [ -z "$cmd" ] || { echo "echo 'readme-smoke: $doc: a command runs past the end of its block' >&2; exit 1"; }
} >"$script"

bash -e "$script"
echo "readme-smoke: every command of $doc's sh blocks gave the expected exit code"
