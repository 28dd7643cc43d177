
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
            [CompletionResult]::new('spawn', 'spawn', [CompletionResultType]::ParameterValue, 'Start agents in new panes, each parked in its own window')
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
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Tag this agent''s pane with a state its tool reports (run from the tool''s hooks inside the pane; `crew spawn` wires it in for known tools)')
            [CompletionResult]::new('status-line', 'status-line', [CompletionResultType]::ParameterValue, 'A short coloured summary for tmux''s status-right')
            [CompletionResult]::new('queue', 'queue', [CompletionResultType]::ParameterValue, 'List (or drop) the messages queued for an agent by `send --queue`')
            [CompletionResult]::new('adopt', 'adopt', [CompletionResultType]::ParameterValue, 'Tag an existing pane as an agent (for example a Claude Code started by hand)')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename an agent (refused when the new name is taken)')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Restart agents in place with their recorded command, back in their conversation where the profile knows how')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve the permission dialog an agent shows, with its profile''s keys')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Decline the permission dialog an agent shows, with its profile''s keys')
            [CompletionResult]::new('answer', 'answer', [CompletionResultType]::ParameterValue, 'Pick option N of the question (or permission menu) an agent shows')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'crew;spawn' {
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'Put the agents in team T, parked in a session named after it')
            [CompletionResult]::new('--worktree', '--worktree', [CompletionResultType]::ParameterName, 'Start each agent in a new git worktree beside the repository, on BRANCH (default crew/NAME)')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'Keep a full transcript of the pane in FILE (tmux pipe-pane, appended)')
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
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'Only the agents of team T')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Add the last non-blank line of each screen')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Add the last non-blank line of each screen')
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
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'Send to every agent of team T')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Send to every agent')
            [CompletionResult]::new('--no-enter', '--no-enter', [CompletionResultType]::ParameterName, 'Type the message but do not submit it')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Send tmux key names instead of text (C-c, Escape, Up, Enter)')
            [CompletionResult]::new('--keys', '--keys', [CompletionResultType]::ParameterName, 'Send tmux key names instead of text (C-c, Escape, Up, Enter)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object per agent instead of one line each')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Keep the message on the agent''s pane and return at once; it is typed when a crew command next sees the agent idle (oldest first)')
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
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'Kill every agent of team T')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'Seconds to wait after TERM')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('--rm-worktree', '--rm-worktree', [CompletionResultType]::ParameterName, 'Also remove the git worktree crew made for the agent, refused when it has uncommitted changes or commits neither merged nor pushed (with --force: discarded)')
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
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'Wait for every agent of team T')
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
        'crew;report' {
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('--hook-input', '--hook-input', [CompletionResultType]::ParameterName, 'Read the hook''s JSON from stdin (Claude Code hooks pass it so)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crew;status-line' {
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('--tmux', '--tmux', [CompletionResultType]::ParameterName, 'tmux style codes (#[fg=…]) instead of ANSI colours or plain text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crew;queue' {
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('--clear', '--clear', [CompletionResultType]::ParameterName, 'Drop every queued message')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON array of the messages, oldest first')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print every tmux command line to stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'crew;adopt' {
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile for status detection (default: guessed from the command)')
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'Put the agent in team T')
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
        'crew;rename' {
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
        'crew;restart' {
            [CompletionResult]::new('--team', '--team', [CompletionResultType]::ParameterName, 'Restart every agent of team T')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Use the tmux server with this socket name (as `tmux -L`)')
            [CompletionResult]::new('-S', '-S ', [CompletionResultType]::ParameterName, 'Use the tmux server at this socket path (as `tmux -S`)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour output')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Restart every agent')
            [CompletionResult]::new('--fresh', '--fresh', [CompletionResultType]::ParameterName, 'Start a new conversation instead of resuming')
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
            [CompletionResult]::new('spawn', 'spawn', [CompletionResultType]::ParameterValue, 'Start agents in new panes, each parked in its own window')
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
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Tag this agent''s pane with a state its tool reports (run from the tool''s hooks inside the pane; `crew spawn` wires it in for known tools)')
            [CompletionResult]::new('status-line', 'status-line', [CompletionResultType]::ParameterValue, 'A short coloured summary for tmux''s status-right')
            [CompletionResult]::new('queue', 'queue', [CompletionResultType]::ParameterValue, 'List (or drop) the messages queued for an agent by `send --queue`')
            [CompletionResult]::new('adopt', 'adopt', [CompletionResultType]::ParameterValue, 'Tag an existing pane as an agent (for example a Claude Code started by hand)')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename an agent (refused when the new name is taken)')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Restart agents in place with their recorded command, back in their conversation where the profile knows how')
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
        'crew;help;report' {
            break
        }
        'crew;help;status-line' {
            break
        }
        'crew;help;queue' {
            break
        }
        'crew;help;adopt' {
            break
        }
        'crew;help;rename' {
            break
        }
        'crew;help;restart' {
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
