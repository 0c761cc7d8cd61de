# Sourced by the bench scripts: each one owns a section of bench/README.md between marker comments
#   <!-- BEGIN NAME -->  ...  <!-- END NAME -->
# and rewrites only that section, so that neither script erases what the other wrote.

# readme_section README NAME CONTENT_FILE: replaces section NAME of README with the file's content,
# or appends it when README has no such section yet (creating README when missing).
readme_section() {
    local readme=$1 name=$2 content=$3 tmp
    local begin="<!-- BEGIN $name -->" end="<!-- END $name -->"
    if [ ! -f "$readme" ]; then
        printf '# rig benchmarks\n\nEach section below is written by the script it names: do not edit it by hand, rerun the script.\n' >"$readme"
    fi
    tmp=$(mktemp "$readme.XXXXXX")
    if grep -qxF "$begin" "$readme" && grep -qxF "$end" "$readme"; then
        awk -v begin="$begin" -v end="$end" -v file="$content" '
            $0 == begin { print; while ((getline line < file) > 0) print line; skip = 1; next }
            $0 == end   { skip = 0 }
            !skip       { print }
        ' "$readme" >"$tmp"
    else
        { cat "$readme"; printf '\n%s\n' "$begin"; cat "$content"; printf '%s\n' "$end"; } >"$tmp"
    fi
    mv -f "$tmp" "$readme"
}
