# bash completion for vlanctl(8): commands, their words and options,
# user names from the users file (vlanctl user list) and the users
# logged in (vlanctl -j show endpoints). Installed into
# bash-completion's directory; loaded on first use of vlanctl.

# The -s and -f arguments already on the line, to ask the same vland
# or users file.
_vlanctl_opts_on_line()
{
	local i
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-s|-f|-c) printf '%s %s ' "${COMP_WORDS[i]}" "${COMP_WORDS[i+1]}" ;;
		esac
	done
}

_vlanctl()
{
	local cur prev cmd="" sub="" i words=""
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	COMPREPLY=()

	case $prev in
	-s|-f|-c)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	esac

	# The command and its first word, skipping options.
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-s|-f|-c) ((i++)) ;;
		-*) ;;
		*)
			if [[ -z $cmd ]]; then
				cmd=${COMP_WORDS[i]}
			elif [[ -z $sub ]]; then
				sub=${COMP_WORDS[i]}
			fi
			;;
		esac
	done

	if [[ $cur == -* ]]; then
		case $cmd in
		'') words="-h -j -V -s" ;;
		user)
			case $sub in
			add) words="-c -f" ;;
			*) words="-f" ;;
			esac
			;;
		genkey) words="-i" ;;
		show|kick|reload|log) words="-j -s" ;;
		esac
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
	fi

	case $cmd in
	'')
		words="genkey pubkey user show kick reload log help"
		;;
	user)
		case $sub in
		'') words="add del passwd lock unlock list import" ;;
		del|passwd|lock|unlock)
			words=$(vlanctl user list $(_vlanctl_opts_on_line) \
			    2>/dev/null | awk '{print $1}')
			;;
		import)
			COMPREPLY=($(compgen -f -- "$cur"))
			return
			;;
		esac
		;;
	show)
		[[ -z $sub ]] && words="endpoints status routes sessions peers"
		;;
	kick)
		[[ -z $sub ]] && words=$(vlanctl -j $(_vlanctl_opts_on_line) \
		    show endpoints 2>/dev/null |
		    grep -o '"user":"[^"]*"' | cut -d'"' -f4)
		;;
	log)
		[[ -z $sub ]] && words="verbose brief"
		;;
	genkey|pubkey)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	esac
	COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _vlanctl vlanctl
