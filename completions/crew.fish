# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_crew_global_optspecs
    string join \n L= S= v/verbose color= config= h/help V/version
end

function __fish_crew_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_crew_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_crew_using_subcommand
    set -l cmd (__fish_crew_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c crew -n "__fish_crew_needs_command" -s L -d 'Use the tmux server with this socket name (as `tmux -L`)' -r
complete -c crew -n "__fish_crew_needs_command" -s S -d 'Use the tmux server at this socket path (as `tmux -S`)' -r -F
complete -c crew -n "__fish_crew_needs_command" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c crew -n "__fish_crew_needs_command" -l config -d 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)' -r -F
complete -c crew -n "__fish_crew_needs_command" -s v -l verbose -d 'Print every tmux command line to stderr'
complete -c crew -n "__fish_crew_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crew -n "__fish_crew_needs_command" -s V -l version -d 'Print version'
complete -c crew -n "__fish_crew_needs_command" -f -a "spawn" -d 'Start an agent in a new pane, parked in its own window'
complete -c crew -n "__fish_crew_needs_command" -f -a "ls" -d 'List agents: name, status, where, pane, pid, age, command'
complete -c crew -n "__fish_crew_needs_command" -f -a "show" -d 'Bring agents beside the current pane (inside tmux) or attach to one'
complete -c crew -n "__fish_crew_needs_command" -f -a "park" -d 'Send agents back to their own windows in the parking session'
complete -c crew -n "__fish_crew_needs_command" -f -a "send" -d 'Type a message into agents and submit it'
complete -c crew -n "__fish_crew_needs_command" -f -a "read" -d 'Print an agent\'s screen as text'
complete -c crew -n "__fish_crew_needs_command" -f -a "kill" -d 'Stop agents and remove their panes'
complete -c crew -n "__fish_crew_needs_command" -f -a "recover" -d 'Repair what crashes and interrupted commands leave behind'
complete -c crew -n "__fish_crew_needs_command" -f -a "wait" -d 'Block until agents reach a state (for Makefiles and CI)'
complete -c crew -n "__fish_crew_needs_command" -f -a "menu" -d 'Open a tmux menu of agents; choosing one shows it'
complete -c crew -n "__fish_crew_needs_command" -f -a "config" -d 'Print the merged configuration (built-in profiles plus the config file)'
complete -c crew -n "__fish_crew_needs_command" -f -a "hook" -d 'Print (or install) the tmux hook that runs `crew recover` when a pane dies, so agents with a restart policy come back without anyone typing'
complete -c crew -n "__fish_crew_needs_command" -f -a "approve" -d 'Approve the permission dialog an agent shows, with its profile\'s keys'
complete -c crew -n "__fish_crew_needs_command" -f -a "deny" -d 'Decline the permission dialog an agent shows, with its profile\'s keys'
complete -c crew -n "__fish_crew_needs_command" -f -a "answer" -d 'Pick option N of the question (or permission menu) an agent shows'
complete -c crew -n "__fish_crew_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c crew -n "__fish_crew_using_subcommand spawn" -l profile -d 'Profile for the command and status detection (see `crew config`)' -r
complete -c crew -n "__fish_crew_using_subcommand spawn" -s c -l cwd -d 'Working directory (must exist). Default: the current directory' -r -F
complete -c crew -n "__fish_crew_using_subcommand spawn" -s e -l env -d 'Set an environment variable for the agent (repeatable)' -r
complete -c crew -n "__fish_crew_using_subcommand spawn" -l restart -d 'Restart policy applied by `crew recover`' -r -f -a "never\t''
on-failure\t''
always\t''"
complete -c crew -n "__fish_crew_using_subcommand spawn" -s L -d 'Use the tmux server with this socket name (as `tmux -L`)' -r
complete -c crew -n "__fish_crew_using_subcommand spawn" -s S -d 'Use the tmux server at this socket path (as `tmux -S`)' -r -F
complete -c crew -n "__fish_crew_using_subcommand spawn" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c crew -n "__fish_crew_using_subcommand spawn" -l config -d 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)' -r -F
complete -c crew -n "__fish_crew_using_subcommand spawn" -l show -d 'Also show the agent beside the current pane'
complete -c crew -n "__fish_crew_using_subcommand spawn" -l focus -d 'Show the agent and move the focus to it'
complete -c crew -n "__fish_crew_using_subcommand spawn" -s v -l verbose -d 'Print every tmux command line to stderr'
complete -c crew -n "__fish_crew_using_subcommand spawn" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crew -n "__fish_crew_using_subcommand spawn" -s V -l version -d 'Print version'
complete -c crew -n "__fish_crew_using_subcommand ls" -s L -d 'Use the tmux server with this socket name (as `tmux -L`)' -r
complete -c crew -n "__fish_crew_using_subcommand ls" -s S -d 'Use the tmux server at this socket path (as `tmux -S`)' -r -F
complete -c crew -n "__fish_crew_using_subcommand ls" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c crew -n "__fish_crew_using_subcommand ls" -l config -d 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)' -r -F
complete -c crew -n "__fish_crew_using_subcommand ls" -l json -d 'One JSON array of objects with stable snake_case keys'
complete -c crew -n "__fish_crew_using_subcommand ls" -s q -l quiet -d 'Print names only'
complete -c crew -n "__fish_crew_using_subcommand ls" -s v -l verbose -d 'Print every tmux command line to stderr'
complete -c crew -n "__fish_crew_using_subcommand ls" -s h -l help -d 'Print help'
complete -c crew -n "__fish_crew_using_subcommand ls" -s V -l version -d 'Print version'
complete -c crew -n "__fish_crew_using_subcommand show" -l layout -d 'Layout when several agents are shown' -r -f -a "tiled\t''
main-vertical\t''
main-horizontal\t''
even-horizontal\t''
even-vertical\t''"
complete -c crew -n "__fish_crew_using_subcommand show" -s L -d 'Use the tmux server with this socket name (as `tmux -L`)' -r
complete -c crew -n "__fish_crew_using_subcommand show" -s S -d 'Use the tmux server at this socket path (as `tmux -S`)' -r -F
complete -c crew -n "__fish_crew_using_subcommand show" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c crew -n "__fish_crew_using_subcommand show" -l config -d 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)' -r -F
complete -c crew -n "__fish_crew_using_subcommand show" -l focus -d 'Move the focus to the (first) agent'
complete -c crew -n "__fish_crew_using_subcommand show" -s v -l verbose -d 'Print every tmux command line to stderr'
complete -c crew -n "__fish_crew_using_subcommand show" -s h -l help -d 'Print help'
complete -c crew -n "__fish_crew_using_subcommand show" -s V -l version -d 'Print version'
complete -c crew -n "__fish_crew_using_subcommand park" -s L -d 'Use the tmux server with this socket name (as `tmux -L`)' -r
complete -c crew -n "__fish_crew_using_subcommand park" -s S -d 'Use the tmux server at this socket path (as `tmux -S`)' -r -F
complete -c crew -n "__fish_crew_using_subcommand park" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c crew -n "__fish_crew_using_subcommand park" -l config -d 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)' -r -F
complete -c crew -n "__fish_crew_using_subcommand park" -l all -d 'Park every agent'
complete -c crew -n "__fish_crew_using_subcommand park" -s v -l verbose -d 'Print every tmux command line to stderr'
complete -c crew -n "__fish_crew_using_subcommand park" -s h -l help -d 'Print help'
complete -c crew -n "__fish_crew_using_subcommand park" -s V -l version -d 'Print version'
complete -c crew -n "__fish_crew_using_subcommand send" -l wait-idle -d 'First wait until the agent is idle (default 300 s; exit 124 on timeout)' -r
complete -c crew -n "__fish_crew_using_subcommand send" -s L -d 'Use the tmux server with this socket name (as `tmux -L`)' -r
complete -c crew -n "__fish_crew_using_subcommand send" -s S -d 'Use the tmux server at this socket path (as `tmux -S`)' -r -F
complete -c crew -n "__fish_crew_using_subcommand send" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c crew -n "__fish_crew_using_subcommand send" -l config -d 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)' -r -F
complete -c crew -n "__fish_crew_using_subcommand send" -l all -d 'Send to every agent'
complete -c crew -n "__fish_crew_using_subcommand send" -l no-enter -d 'Type the message but do not submit it'
complete -c crew -n "__fish_crew_using_subcommand send" -s k -l keys -d 'Send tmux key names instead of text (C-c, Escape, Up, Enter)'
complete -c crew -n "__fish_crew_using_subcommand send" -l json -d 'Print one JSON object per agent instead of one line each'
complete -c crew -n "__fish_crew_using_subcommand send" -s v -l verbose -d 'Print every tmux command line to stderr'
complete -c crew -n "__fish_crew_using_subcommand send" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crew -n "__fish_crew_using_subcommand send" -s V -l version -d 'Print version'
complete -c crew -n "__fish_crew_using_subcommand read" -s n -l lines -d 'The last N lines, including scrollback' -r
complete -c crew -n "__fish_crew_using_subcommand read" -s L -d 'Use the tmux server with this socket name (as `tmux -L`)' -r
complete -c crew -n "__fish_crew_using_subcommand read" -s S -d 'Use the tmux server at this socket path (as `tmux -S`)' -r -F
complete -c crew -n "__fish_crew_using_subcommand read" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c crew -n "__fish_crew_using_subcommand read" -l config -d 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)' -r -F
complete -c crew -n "__fish_crew_using_subcommand read" -l all -d 'The whole scrollback'
complete -c crew -n "__fish_crew_using_subcommand read" -l ansi -d 'Keep colours and attributes as ANSI escapes'
complete -c crew -n "__fish_crew_using_subcommand read" -s f -l follow -d 'Keep printing new lines until the agent exits or you interrupt'
complete -c crew -n "__fish_crew_using_subcommand read" -l new -d 'Only what appeared since the previous `read --new` of this agent'
complete -c crew -n "__fish_crew_using_subcommand read" -s v -l verbose -d 'Print every tmux command line to stderr'
complete -c crew -n "__fish_crew_using_subcommand read" -s h -l help -d 'Print help'
complete -c crew -n "__fish_crew_using_subcommand read" -s V -l version -d 'Print version'
complete -c crew -n "__fish_crew_using_subcommand kill" -l grace -d 'Seconds to wait after TERM' -r
complete -c crew -n "__fish_crew_using_subcommand kill" -s L -d 'Use the tmux server with this socket name (as `tmux -L`)' -r
complete -c crew -n "__fish_crew_using_subcommand kill" -s S -d 'Use the tmux server at this socket path (as `tmux -S`)' -r -F
complete -c crew -n "__fish_crew_using_subcommand kill" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c crew -n "__fish_crew_using_subcommand kill" -l config -d 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)' -r -F
complete -c crew -n "__fish_crew_using_subcommand kill" -l all -d 'Kill every agent'
complete -c crew -n "__fish_crew_using_subcommand kill" -l force -d 'Do not wait for a graceful exit'
complete -c crew -n "__fish_crew_using_subcommand kill" -s v -l verbose -d 'Print every tmux command line to stderr'
complete -c crew -n "__fish_crew_using_subcommand kill" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crew -n "__fish_crew_using_subcommand kill" -s V -l version -d 'Print version'
complete -c crew -n "__fish_crew_using_subcommand recover" -l from -d 'Re-create the agents of a saved `crew ls --json` that no longer exist' -r -F
complete -c crew -n "__fish_crew_using_subcommand recover" -s L -d 'Use the tmux server with this socket name (as `tmux -L`)' -r
complete -c crew -n "__fish_crew_using_subcommand recover" -s S -d 'Use the tmux server at this socket path (as `tmux -S`)' -r -F
complete -c crew -n "__fish_crew_using_subcommand recover" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c crew -n "__fish_crew_using_subcommand recover" -l config -d 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)' -r -F
complete -c crew -n "__fish_crew_using_subcommand recover" -l dry-run -d 'Print the plan, change nothing'
complete -c crew -n "__fish_crew_using_subcommand recover" -l json -d 'Print the actions as JSON'
complete -c crew -n "__fish_crew_using_subcommand recover" -s v -l verbose -d 'Print every tmux command line to stderr'
complete -c crew -n "__fish_crew_using_subcommand recover" -s h -l help -d 'Print help'
complete -c crew -n "__fish_crew_using_subcommand recover" -s V -l version -d 'Print version'
complete -c crew -n "__fish_crew_using_subcommand wait" -l until -d 'The state to wait for: idle, exited, attention (permission or question) or any (any of those)' -r -f -a "idle\t''
exited\t''
attention\t''
any\t''"
complete -c crew -n "__fish_crew_using_subcommand wait" -l timeout -d 'Give up after SECS (exit 124)' -r
complete -c crew -n "__fish_crew_using_subcommand wait" -s L -d 'Use the tmux server with this socket name (as `tmux -L`)' -r
complete -c crew -n "__fish_crew_using_subcommand wait" -s S -d 'Use the tmux server at this socket path (as `tmux -S`)' -r -F
complete -c crew -n "__fish_crew_using_subcommand wait" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c crew -n "__fish_crew_using_subcommand wait" -l config -d 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)' -r -F
complete -c crew -n "__fish_crew_using_subcommand wait" -l all -d 'Wait for every agent'
complete -c crew -n "__fish_crew_using_subcommand wait" -s v -l verbose -d 'Print every tmux command line to stderr'
complete -c crew -n "__fish_crew_using_subcommand wait" -s h -l help -d 'Print help'
complete -c crew -n "__fish_crew_using_subcommand wait" -s V -l version -d 'Print version'
complete -c crew -n "__fish_crew_using_subcommand menu" -s L -d 'Use the tmux server with this socket name (as `tmux -L`)' -r
complete -c crew -n "__fish_crew_using_subcommand menu" -s S -d 'Use the tmux server at this socket path (as `tmux -S`)' -r -F
complete -c crew -n "__fish_crew_using_subcommand menu" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c crew -n "__fish_crew_using_subcommand menu" -l config -d 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)' -r -F
complete -c crew -n "__fish_crew_using_subcommand menu" -l print -d 'Print the tmux command instead of opening the menu'
complete -c crew -n "__fish_crew_using_subcommand menu" -s v -l verbose -d 'Print every tmux command line to stderr'
complete -c crew -n "__fish_crew_using_subcommand menu" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crew -n "__fish_crew_using_subcommand menu" -s V -l version -d 'Print version'
complete -c crew -n "__fish_crew_using_subcommand config" -s L -d 'Use the tmux server with this socket name (as `tmux -L`)' -r
complete -c crew -n "__fish_crew_using_subcommand config" -s S -d 'Use the tmux server at this socket path (as `tmux -S`)' -r -F
complete -c crew -n "__fish_crew_using_subcommand config" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c crew -n "__fish_crew_using_subcommand config" -l config -d 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)' -r -F
complete -c crew -n "__fish_crew_using_subcommand config" -s v -l verbose -d 'Print every tmux command line to stderr'
complete -c crew -n "__fish_crew_using_subcommand config" -s h -l help -d 'Print help'
complete -c crew -n "__fish_crew_using_subcommand config" -s V -l version -d 'Print version'
complete -c crew -n "__fish_crew_using_subcommand hook" -s L -d 'Use the tmux server with this socket name (as `tmux -L`)' -r
complete -c crew -n "__fish_crew_using_subcommand hook" -s S -d 'Use the tmux server at this socket path (as `tmux -S`)' -r -F
complete -c crew -n "__fish_crew_using_subcommand hook" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c crew -n "__fish_crew_using_subcommand hook" -l config -d 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)' -r -F
complete -c crew -n "__fish_crew_using_subcommand hook" -l install -d 'Install the hook on the server instead of printing it'
complete -c crew -n "__fish_crew_using_subcommand hook" -s v -l verbose -d 'Print every tmux command line to stderr'
complete -c crew -n "__fish_crew_using_subcommand hook" -s h -l help -d 'Print help'
complete -c crew -n "__fish_crew_using_subcommand hook" -s V -l version -d 'Print version'
complete -c crew -n "__fish_crew_using_subcommand approve" -s L -d 'Use the tmux server with this socket name (as `tmux -L`)' -r
complete -c crew -n "__fish_crew_using_subcommand approve" -s S -d 'Use the tmux server at this socket path (as `tmux -S`)' -r -F
complete -c crew -n "__fish_crew_using_subcommand approve" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c crew -n "__fish_crew_using_subcommand approve" -l config -d 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)' -r -F
complete -c crew -n "__fish_crew_using_subcommand approve" -l all -d 'Every agent waiting for permission'
complete -c crew -n "__fish_crew_using_subcommand approve" -l json -d 'One JSON object per agent'
complete -c crew -n "__fish_crew_using_subcommand approve" -s v -l verbose -d 'Print every tmux command line to stderr'
complete -c crew -n "__fish_crew_using_subcommand approve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crew -n "__fish_crew_using_subcommand approve" -s V -l version -d 'Print version'
complete -c crew -n "__fish_crew_using_subcommand deny" -s m -l message -d 'A message to send once the dialog is gone' -r
complete -c crew -n "__fish_crew_using_subcommand deny" -s L -d 'Use the tmux server with this socket name (as `tmux -L`)' -r
complete -c crew -n "__fish_crew_using_subcommand deny" -s S -d 'Use the tmux server at this socket path (as `tmux -S`)' -r -F
complete -c crew -n "__fish_crew_using_subcommand deny" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c crew -n "__fish_crew_using_subcommand deny" -l config -d 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)' -r -F
complete -c crew -n "__fish_crew_using_subcommand deny" -l all -d 'Every agent waiting for permission'
complete -c crew -n "__fish_crew_using_subcommand deny" -l json -d 'One JSON object per agent'
complete -c crew -n "__fish_crew_using_subcommand deny" -s v -l verbose -d 'Print every tmux command line to stderr'
complete -c crew -n "__fish_crew_using_subcommand deny" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c crew -n "__fish_crew_using_subcommand deny" -s V -l version -d 'Print version'
complete -c crew -n "__fish_crew_using_subcommand answer" -s L -d 'Use the tmux server with this socket name (as `tmux -L`)' -r
complete -c crew -n "__fish_crew_using_subcommand answer" -s S -d 'Use the tmux server at this socket path (as `tmux -S`)' -r -F
complete -c crew -n "__fish_crew_using_subcommand answer" -l color -d 'When to colour output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c crew -n "__fish_crew_using_subcommand answer" -l config -d 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)' -r -F
complete -c crew -n "__fish_crew_using_subcommand answer" -l json -d 'One JSON object'
complete -c crew -n "__fish_crew_using_subcommand answer" -s v -l verbose -d 'Print every tmux command line to stderr'
complete -c crew -n "__fish_crew_using_subcommand answer" -s h -l help -d 'Print help'
complete -c crew -n "__fish_crew_using_subcommand answer" -s V -l version -d 'Print version'
complete -c crew -n "__fish_crew_using_subcommand help; and not __fish_seen_subcommand_from spawn ls show park send read kill recover wait menu config hook approve deny answer help" -f -a "spawn" -d 'Start an agent in a new pane, parked in its own window'
complete -c crew -n "__fish_crew_using_subcommand help; and not __fish_seen_subcommand_from spawn ls show park send read kill recover wait menu config hook approve deny answer help" -f -a "ls" -d 'List agents: name, status, where, pane, pid, age, command'
complete -c crew -n "__fish_crew_using_subcommand help; and not __fish_seen_subcommand_from spawn ls show park send read kill recover wait menu config hook approve deny answer help" -f -a "show" -d 'Bring agents beside the current pane (inside tmux) or attach to one'
complete -c crew -n "__fish_crew_using_subcommand help; and not __fish_seen_subcommand_from spawn ls show park send read kill recover wait menu config hook approve deny answer help" -f -a "park" -d 'Send agents back to their own windows in the parking session'
complete -c crew -n "__fish_crew_using_subcommand help; and not __fish_seen_subcommand_from spawn ls show park send read kill recover wait menu config hook approve deny answer help" -f -a "send" -d 'Type a message into agents and submit it'
complete -c crew -n "__fish_crew_using_subcommand help; and not __fish_seen_subcommand_from spawn ls show park send read kill recover wait menu config hook approve deny answer help" -f -a "read" -d 'Print an agent\'s screen as text'
complete -c crew -n "__fish_crew_using_subcommand help; and not __fish_seen_subcommand_from spawn ls show park send read kill recover wait menu config hook approve deny answer help" -f -a "kill" -d 'Stop agents and remove their panes'
complete -c crew -n "__fish_crew_using_subcommand help; and not __fish_seen_subcommand_from spawn ls show park send read kill recover wait menu config hook approve deny answer help" -f -a "recover" -d 'Repair what crashes and interrupted commands leave behind'
complete -c crew -n "__fish_crew_using_subcommand help; and not __fish_seen_subcommand_from spawn ls show park send read kill recover wait menu config hook approve deny answer help" -f -a "wait" -d 'Block until agents reach a state (for Makefiles and CI)'
complete -c crew -n "__fish_crew_using_subcommand help; and not __fish_seen_subcommand_from spawn ls show park send read kill recover wait menu config hook approve deny answer help" -f -a "menu" -d 'Open a tmux menu of agents; choosing one shows it'
complete -c crew -n "__fish_crew_using_subcommand help; and not __fish_seen_subcommand_from spawn ls show park send read kill recover wait menu config hook approve deny answer help" -f -a "config" -d 'Print the merged configuration (built-in profiles plus the config file)'
complete -c crew -n "__fish_crew_using_subcommand help; and not __fish_seen_subcommand_from spawn ls show park send read kill recover wait menu config hook approve deny answer help" -f -a "hook" -d 'Print (or install) the tmux hook that runs `crew recover` when a pane dies, so agents with a restart policy come back without anyone typing'
complete -c crew -n "__fish_crew_using_subcommand help; and not __fish_seen_subcommand_from spawn ls show park send read kill recover wait menu config hook approve deny answer help" -f -a "approve" -d 'Approve the permission dialog an agent shows, with its profile\'s keys'
complete -c crew -n "__fish_crew_using_subcommand help; and not __fish_seen_subcommand_from spawn ls show park send read kill recover wait menu config hook approve deny answer help" -f -a "deny" -d 'Decline the permission dialog an agent shows, with its profile\'s keys'
complete -c crew -n "__fish_crew_using_subcommand help; and not __fish_seen_subcommand_from spawn ls show park send read kill recover wait menu config hook approve deny answer help" -f -a "answer" -d 'Pick option N of the question (or permission menu) an agent shows'
complete -c crew -n "__fish_crew_using_subcommand help; and not __fish_seen_subcommand_from spawn ls show park send read kill recover wait menu config hook approve deny answer help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
