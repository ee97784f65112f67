# bash completion for crm. Commands come from `crm help --commands`, verbs
# and options from `crm __complete`, so nothing here lists them by hand.
_crm() {
	local cur=${COMP_WORDS[COMP_CWORD]}
	local IFS=$'\n'
	if [ "$COMP_CWORD" -eq 1 ] && [ "${cur#-}" = "$cur" ]; then
		COMPREPLY=($(compgen -W "$(crm help --commands 2>/dev/null)" -- "$cur"))
		return
	fi
	COMPREPLY=($(crm __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _crm crm
