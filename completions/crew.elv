
use builtin;
use str;

set edit:completion:arg-completer[crew] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'crew'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'crew'= {
            cand -L 'Use the tmux server with this socket name (as `tmux -L`)'
            cand -S 'Use the tmux server at this socket path (as `tmux -S`)'
            cand --color 'When to colour output'
            cand --config 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)'
            cand -v 'Print every tmux command line to stderr'
            cand --verbose 'Print every tmux command line to stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand spawn 'Start an agent in a new pane, parked in its own window'
            cand ls 'List agents: name, status, where, pane, pid, age, command'
            cand show 'Bring agents beside the current pane (inside tmux) or attach to one'
            cand park 'Send agents back to their own windows in the parking session'
            cand send 'Type a message into agents and submit it'
            cand read 'Print an agent''s screen as text'
            cand kill 'Stop agents and remove their panes'
            cand recover 'Repair what crashes and interrupted commands leave behind'
            cand wait 'Block until agents reach a state (for Makefiles and CI)'
            cand menu 'Open a tmux menu of agents; choosing one shows it'
            cand config 'Print the merged configuration (built-in profiles plus the config file)'
            cand hook 'Print (or install) the tmux hook that runs `crew recover` when a pane dies, so agents with a restart policy come back without anyone typing'
            cand approve 'Approve the permission dialog an agent shows, with its profile''s keys'
            cand deny 'Decline the permission dialog an agent shows, with its profile''s keys'
            cand answer 'Pick option N of the question (or permission menu) an agent shows'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'crew;spawn'= {
            cand --profile 'Profile for the command and status detection (see `crew config`)'
            cand -c 'Working directory (must exist). Default: the current directory'
            cand --cwd 'Working directory (must exist). Default: the current directory'
            cand -e 'Set an environment variable for the agent (repeatable)'
            cand --env 'Set an environment variable for the agent (repeatable)'
            cand --restart 'Restart policy applied by `crew recover`'
            cand -L 'Use the tmux server with this socket name (as `tmux -L`)'
            cand -S 'Use the tmux server at this socket path (as `tmux -S`)'
            cand --color 'When to colour output'
            cand --config 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)'
            cand --show 'Also show the agent beside the current pane'
            cand --focus 'Show the agent and move the focus to it'
            cand -v 'Print every tmux command line to stderr'
            cand --verbose 'Print every tmux command line to stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crew;ls'= {
            cand -L 'Use the tmux server with this socket name (as `tmux -L`)'
            cand -S 'Use the tmux server at this socket path (as `tmux -S`)'
            cand --color 'When to colour output'
            cand --config 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)'
            cand --json 'One JSON array of objects with stable snake_case keys'
            cand -q 'Print names only'
            cand --quiet 'Print names only'
            cand -v 'Print every tmux command line to stderr'
            cand --verbose 'Print every tmux command line to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crew;show'= {
            cand --layout 'Layout when several agents are shown'
            cand -L 'Use the tmux server with this socket name (as `tmux -L`)'
            cand -S 'Use the tmux server at this socket path (as `tmux -S`)'
            cand --color 'When to colour output'
            cand --config 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)'
            cand --focus 'Move the focus to the (first) agent'
            cand -v 'Print every tmux command line to stderr'
            cand --verbose 'Print every tmux command line to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crew;park'= {
            cand -L 'Use the tmux server with this socket name (as `tmux -L`)'
            cand -S 'Use the tmux server at this socket path (as `tmux -S`)'
            cand --color 'When to colour output'
            cand --config 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)'
            cand --all 'Park every agent'
            cand -v 'Print every tmux command line to stderr'
            cand --verbose 'Print every tmux command line to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crew;send'= {
            cand --wait-idle 'First wait until the agent is idle (default 300 s; exit 124 on timeout)'
            cand -L 'Use the tmux server with this socket name (as `tmux -L`)'
            cand -S 'Use the tmux server at this socket path (as `tmux -S`)'
            cand --color 'When to colour output'
            cand --config 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)'
            cand --all 'Send to every agent'
            cand --no-enter 'Type the message but do not submit it'
            cand -k 'Send tmux key names instead of text (C-c, Escape, Up, Enter)'
            cand --keys 'Send tmux key names instead of text (C-c, Escape, Up, Enter)'
            cand --json 'Print one JSON object per agent instead of one line each'
            cand -v 'Print every tmux command line to stderr'
            cand --verbose 'Print every tmux command line to stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crew;read'= {
            cand -n 'The last N lines, including scrollback'
            cand --lines 'The last N lines, including scrollback'
            cand -L 'Use the tmux server with this socket name (as `tmux -L`)'
            cand -S 'Use the tmux server at this socket path (as `tmux -S`)'
            cand --color 'When to colour output'
            cand --config 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)'
            cand --all 'The whole scrollback'
            cand --ansi 'Keep colours and attributes as ANSI escapes'
            cand -f 'Keep printing new lines until the agent exits or you interrupt'
            cand --follow 'Keep printing new lines until the agent exits or you interrupt'
            cand --new 'Only what appeared since the previous `read --new` of this agent'
            cand -v 'Print every tmux command line to stderr'
            cand --verbose 'Print every tmux command line to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crew;kill'= {
            cand --grace 'Seconds to wait after TERM'
            cand -L 'Use the tmux server with this socket name (as `tmux -L`)'
            cand -S 'Use the tmux server at this socket path (as `tmux -S`)'
            cand --color 'When to colour output'
            cand --config 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)'
            cand --all 'Kill every agent'
            cand --force 'Do not wait for a graceful exit'
            cand -v 'Print every tmux command line to stderr'
            cand --verbose 'Print every tmux command line to stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crew;recover'= {
            cand --from 'Re-create the agents of a saved `crew ls --json` that no longer exist'
            cand -L 'Use the tmux server with this socket name (as `tmux -L`)'
            cand -S 'Use the tmux server at this socket path (as `tmux -S`)'
            cand --color 'When to colour output'
            cand --config 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)'
            cand --dry-run 'Print the plan, change nothing'
            cand --json 'Print the actions as JSON'
            cand -v 'Print every tmux command line to stderr'
            cand --verbose 'Print every tmux command line to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crew;wait'= {
            cand --until 'The state to wait for: idle, exited, attention (permission or question) or any (any of those)'
            cand --timeout 'Give up after SECS (exit 124)'
            cand -L 'Use the tmux server with this socket name (as `tmux -L`)'
            cand -S 'Use the tmux server at this socket path (as `tmux -S`)'
            cand --color 'When to colour output'
            cand --config 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)'
            cand --all 'Wait for every agent'
            cand -v 'Print every tmux command line to stderr'
            cand --verbose 'Print every tmux command line to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crew;menu'= {
            cand -L 'Use the tmux server with this socket name (as `tmux -L`)'
            cand -S 'Use the tmux server at this socket path (as `tmux -S`)'
            cand --color 'When to colour output'
            cand --config 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)'
            cand --print 'Print the tmux command instead of opening the menu'
            cand -v 'Print every tmux command line to stderr'
            cand --verbose 'Print every tmux command line to stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crew;config'= {
            cand -L 'Use the tmux server with this socket name (as `tmux -L`)'
            cand -S 'Use the tmux server at this socket path (as `tmux -S`)'
            cand --color 'When to colour output'
            cand --config 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)'
            cand -v 'Print every tmux command line to stderr'
            cand --verbose 'Print every tmux command line to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crew;hook'= {
            cand -L 'Use the tmux server with this socket name (as `tmux -L`)'
            cand -S 'Use the tmux server at this socket path (as `tmux -S`)'
            cand --color 'When to colour output'
            cand --config 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)'
            cand --install 'Install the hook on the server instead of printing it'
            cand -v 'Print every tmux command line to stderr'
            cand --verbose 'Print every tmux command line to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crew;approve'= {
            cand -L 'Use the tmux server with this socket name (as `tmux -L`)'
            cand -S 'Use the tmux server at this socket path (as `tmux -S`)'
            cand --color 'When to colour output'
            cand --config 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)'
            cand --all 'Every agent waiting for permission'
            cand --json 'One JSON object per agent'
            cand -v 'Print every tmux command line to stderr'
            cand --verbose 'Print every tmux command line to stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crew;deny'= {
            cand -m 'A message to send once the dialog is gone'
            cand --message 'A message to send once the dialog is gone'
            cand -L 'Use the tmux server with this socket name (as `tmux -L`)'
            cand -S 'Use the tmux server at this socket path (as `tmux -S`)'
            cand --color 'When to colour output'
            cand --config 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)'
            cand --all 'Every agent waiting for permission'
            cand --json 'One JSON object per agent'
            cand -v 'Print every tmux command line to stderr'
            cand --verbose 'Print every tmux command line to stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crew;answer'= {
            cand -L 'Use the tmux server with this socket name (as `tmux -L`)'
            cand -S 'Use the tmux server at this socket path (as `tmux -S`)'
            cand --color 'When to colour output'
            cand --config 'Config file (default: $CREW_CONFIG, else $XDG_CONFIG_HOME/crew/config.toml)'
            cand --json 'One JSON object'
            cand -v 'Print every tmux command line to stderr'
            cand --verbose 'Print every tmux command line to stderr'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'crew;help'= {
            cand spawn 'Start an agent in a new pane, parked in its own window'
            cand ls 'List agents: name, status, where, pane, pid, age, command'
            cand show 'Bring agents beside the current pane (inside tmux) or attach to one'
            cand park 'Send agents back to their own windows in the parking session'
            cand send 'Type a message into agents and submit it'
            cand read 'Print an agent''s screen as text'
            cand kill 'Stop agents and remove their panes'
            cand recover 'Repair what crashes and interrupted commands leave behind'
            cand wait 'Block until agents reach a state (for Makefiles and CI)'
            cand menu 'Open a tmux menu of agents; choosing one shows it'
            cand config 'Print the merged configuration (built-in profiles plus the config file)'
            cand hook 'Print (or install) the tmux hook that runs `crew recover` when a pane dies, so agents with a restart policy come back without anyone typing'
            cand approve 'Approve the permission dialog an agent shows, with its profile''s keys'
            cand deny 'Decline the permission dialog an agent shows, with its profile''s keys'
            cand answer 'Pick option N of the question (or permission menu) an agent shows'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'crew;help;spawn'= {
        }
        &'crew;help;ls'= {
        }
        &'crew;help;show'= {
        }
        &'crew;help;park'= {
        }
        &'crew;help;send'= {
        }
        &'crew;help;read'= {
        }
        &'crew;help;kill'= {
        }
        &'crew;help;recover'= {
        }
        &'crew;help;wait'= {
        }
        &'crew;help;menu'= {
        }
        &'crew;help;config'= {
        }
        &'crew;help;hook'= {
        }
        &'crew;help;approve'= {
        }
        &'crew;help;deny'= {
        }
        &'crew;help;answer'= {
        }
        &'crew;help;help'= {
        }
    ]
    $completions[$command]
}
