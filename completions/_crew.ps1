
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'crew' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'crew'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'crew' {
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('spawn', 'spawn', [CompletionResultType]::ParameterValue, 'Start an agent in a new pane, parked in its own window')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List agents: name, status, where, pane, pid, age, command')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Bring agents beside the current pane (inside tmux) or attach to one')
            [CompletionResult]::new('park', 'park', [CompletionResultType]::ParameterValue, 'Send agents back to their own windows in the parking session')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Type a message into agents and submit it')
            [CompletionResult]::new('read', 'read', [CompletionResultType]::ParameterValue, 'Print an agent''s screen as text')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Stop agents and remove their panes')
            [CompletionResult]::new('recover', 'recover', [CompletionResultType]::ParameterValue, 'Repair what crashes and interrupted commands leave behind')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Block until agents reach a state (for Makefiles and CI)')
            [CompletionResult]::new('menu', 'menu', [CompletionResultType]::ParameterValue, 'Open a tmux menu of agents; choosing one shows it')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Print the merged configuration (built-in profiles plus the config file)')
            [CompletionResult]::new('hook', 'hook', [CompletionResultType]::ParameterValue, 'Print (or install) the tmux hook that runs `crew recover` when a pane dies, so agents with a restart policy come back without anyone typing')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve the permission dialog an agent shows, with its profile''s keys')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Decline the permission dialog an agent shows, with its profile''s keys')
            [CompletionResult]::new('answer', 'answer', [CompletionResultType]::ParameterValue, 'Pick option N of the question (or permission menu) an agent shows')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'crew;spawn' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile for the command and status detection (see `crew config`)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Working directory (must exist). Default: the current directory')
            [CompletionResult]::new('--cwd', '--cwd', [CompletionResultType]::ParameterName, 'Working directory (must exist). Default: the current directory')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Set an environment variable for the agent (repeatable)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Set an environment variable for the agent (repeatable)')
            [CompletionResult]::new('--restart', '--restart', [CompletionResultType]::ParameterName, 'Restart policy applied by `crew recover`')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('--show', '--show', [CompletionResultType]::ParameterName, 'Also show the agent beside the current pane')
            [CompletionResult]::new('--focus', '--focus', [CompletionResultType]::ParameterName, 'Show the agent and move the focus to it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crew;ls' {
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON array of objects with stable snake_case keys')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print names only')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print names only')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crew;show' {
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'Layout when several agents are shown')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('--focus', '--focus', [CompletionResultType]::ParameterName, 'Move the focus to the (first) agent')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crew;park' {
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Park every agent')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crew;send' {
            [CompletionResult]::new('--wait-idle', '--wait-idle', [CompletionResultType]::ParameterName, 'First wait until the agent is idle (default 300 s; exit 124 on timeout)')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Send to every agent')
            [CompletionResult]::new('--no-enter', '--no-enter', [CompletionResultType]::ParameterName, 'Type the message but do not submit it')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Send tmux key names instead of text (C-c, Escape, Up, Enter)')
            [CompletionResult]::new('--keys', '--keys', [CompletionResultType]::ParameterName, 'Send tmux key names instead of text (C-c, Escape, Up, Enter)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object per agent instead of one line each')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crew;read' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The last N lines, including scrollback')
            [CompletionResult]::new('--lines', '--lines', [CompletionResultType]::ParameterName, 'The last N lines, including scrollback')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'The whole scrollback')
            [CompletionResult]::new('--ansi', '--ansi', [CompletionResultType]::ParameterName, 'Keep colours and attributes as ANSI escapes')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep printing new lines until the agent exits or you interrupt')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep printing new lines until the agent exits or you interrupt')
            [CompletionResult]::new('--new', '--new', [CompletionResultType]::ParameterName, 'Only what appeared since the previous `read --new` of this agent')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crew;kill' {
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'Seconds to wait after TERM')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Kill every agent')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Do not wait for a graceful exit')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crew;recover' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Re-create the agents of a saved `crew ls --json` that no longer exist')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the plan, change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the actions as JSON')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crew;wait' {
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'The state to wait for: idle, exited, attention (permission or question) or any (any of those)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after SECS (exit 124)')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Wait for every agent')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crew;menu' {
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('--print', '--print', [CompletionResultType]::ParameterName, 'Print the tmux command instead of opening the menu')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crew;config' {
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crew;hook' {
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('--install', '--install', [CompletionResultType]::ParameterName, 'Install the hook on the server instead of printing it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crew;approve' {
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every agent waiting for permission')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON object per agent')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crew;deny' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A message to send once the dialog is gone')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A message to send once the dialog is gone')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every agent waiting for permission')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON object per agent')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crew;answer' {
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON object')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crew;help' {
            [CompletionResult]::new('spawn', 'spawn', [CompletionResultType]::ParameterValue, 'Start an agent in a new pane, parked in its own window')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List agents: name, status, where, pane, pid, age, command')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Bring agents beside the current pane (inside tmux) or attach to one')
            [CompletionResult]::new('park', 'park', [CompletionResultType]::ParameterValue, 'Send agents back to their own windows in the parking session')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Type a message into agents and submit it')
            [CompletionResult]::new('read', 'read', [CompletionResultType]::ParameterValue, 'Print an agent''s screen as text')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Stop agents and remove their panes')
            [CompletionResult]::new('recover', 'recover', [CompletionResultType]::ParameterValue, 'Repair what crashes and interrupted commands leave behind')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Block until agents reach a state (for Makefiles and CI)')
            [CompletionResult]::new('menu', 'menu', [CompletionResultType]::ParameterValue, 'Open a tmux menu of agents; choosing one shows it')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Print the merged configuration (built-in profiles plus the config file)')
            [CompletionResult]::new('hook', 'hook', [CompletionResultType]::ParameterValue, 'Print (or install) the tmux hook that runs `crew recover` when a pane dies, so agents with a restart policy come back without anyone typing')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve the permission dialog an agent shows, with its profile''s keys')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Decline the permission dialog an agent shows, with its profile''s keys')
            [CompletionResult]::new('answer', 'answer', [CompletionResultType]::ParameterValue, 'Pick option N of the question (or permission menu) an agent shows')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'crew;help;spawn' {
            break
        }
        'crew;help;ls' {
            break
        }
        'crew;help;show' {
            break
        }
        'crew;help;park' {
            break
        }
        'crew;help;send' {
            break
        }
        'crew;help;read' {
            break
        }
        'crew;help;kill' {
            break
        }
        'crew;help;recover' {
            break
        }
        'crew;help;wait' {
            break
        }
        'crew;help;menu' {
            break
        }
        'crew;help;config' {
            break
        }
        'crew;help;hook' {
            break
        }
        'crew;help;approve' {
            break
        }
        'crew;help;deny' {
            break
        }
        'crew;help;answer' {
            break
        }
        'crew;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
