# fish completion for crm: candidates come from `crm __complete`.
complete -c crm -f -a '(crm __complete (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
