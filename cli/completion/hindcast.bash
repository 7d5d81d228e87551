# bash completion for hindcast. Installed by `cmake --install` into
# share/bash-completion/completions/hindcast; to try it: source cli/completion/hindcast.bash
_hindcast() {
  local cur prev words cword
  if declare -F _init_completion >/dev/null; then
    _init_completion || return
  else
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  fi

  local commands="analyze timeline sniff export"
  if [[ $cword -eq 1 ]]; then
    COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
    return
  fi
  local command=${words[1]}

  case $prev in
    -f|--format)
      case $command in
        analyze) COMPREPLY=($(compgen -W "md json html" -- "$cur")) ;;
        timeline) COMPREPLY=($(compgen -W "text jsonl csv timesketch ecs count" -- "$cur")) ;;
      esac
      return ;;
    --color|--progress|--summary)
      COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
      return ;;
    --tz)
      local zones=/usr/share/zoneinfo
      [[ -d $zones ]] && COMPREPLY=($(cd "$zones" && compgen -f -- "$cur"))
      return ;;
    -o|--output)
      COMPREPLY=($(compgen -f -- "$cur"))
      return ;;
    --year|--date|--since|--until|--access-format|-j|--threads|--clickhouse|--table|--hosts|--host)
      return ;;
  esac

  if [[ $cur == -* ]]; then
    local options="--help --tz --year --date --access-format --since --until --threads --color --progress --verbose --quiet"
    case $command in
      analyze) options+=" --format --output --summary --clickhouse --table --hosts" ;;
      timeline) options+=" --format --output" ;;
      export) options+=" --clickhouse --table --host" ;;
    esac
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
    return
  fi
  # PATH: files and directories.
  COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _hindcast hindcast
