complete --keep-order --exclusive --command crew --arguments "(COMPLETE=fish crew -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
