# Reads the machine's own apt sources (deb822 /etc/apt/sources.list.d/*.sources and one-line
# /etc/apt/sources.list), so a deb-src entry can be derived from them: whatever archive or mirror the
# machine is set up with is the one the source comes from. Sourced by kubernetes.sh; no side effects.

# debian_entries TYPE CODENAME [SKIP_FILE] [ROOT]
# Prints, as deb822 stanzas with `Types: deb-src`, every enabled entry of TYPE (deb or deb-src) for
# suite CODENAME with component main — its URIs and Signed-By as configured, one stanza per entry.
# SKIP_FILE (a path under ROOT) is left out: the file this derivation writes. ROOT defaults to /.
debian_entries() {
  local type=$1 codename=$2 skip=${3:-} root=${4:-}
  local files=()
  [ -f "$root/etc/apt/sources.list" ] && files+=("$root/etc/apt/sources.list")
  for f in "$root"/etc/apt/sources.list.d/*.list "$root"/etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && [ "$f" != "$root$skip" ] && files+=("$f")
  done
  [ ${#files[@]} -gt 0 ] || return 0
  awk -v want="$type" -v suite="$codename" '
    function has(list, word,   n, i, parts) {
      n = split(list, parts, /[ \t]+/)
      for (i = 1; i <= n; i++) if (parts[i] == word) return 1
      return 0
    }
    function emit(uris, signed) {
      printf "Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\n", uris, suite
      if (signed != "") printf "Signed-By: %s\n", signed
      print ""
    }
    # One deb822 stanza, gathered in field[] (continuation lines kept, for an inline Signed-By key).
    function stanza() {
      if (("Types" in field) && has(field["Types"], want) && has(field["Suites"], suite) && has(field["Components"], "main") && tolower(field["Enabled"]) != "no")
        emit(field["URIs"], field["Signed-By"])
      delete field
      last = ""
    }
    FNR == 1 { if (NR > 1) stanza(); deb822 = FILENAME ~ /\.sources$/ }
    deb822 && /^[ \t]*#/ { next }
    deb822 && /^[ \t]*$/ { stanza(); next }
    deb822 && /^[ \t]/ { if (last != "") field[last] = field[last] "\n" $0; next }
    deb822 {
      key = $0; sub(/:.*/, "", key)
      value = $0; sub(/^[^:]*:[ \t]*/, "", value)
      field[key] = value; last = key; next
    }
    # One-line format: TYPE [options] URI SUITE COMPONENT...
    /^[ \t]*(#|$)/ { next }
    {
      line = $0; signed = ""
      if (match(line, /\[[^]]*\]/)) {
        options = substr(line, RSTART + 1, RLENGTH - 2)
        line = substr(line, 1, RSTART - 1) " " substr(line, RSTART + RLENGTH)
        if (match(options, /signed-by=[^ \t]+/)) signed = substr(options, RSTART + 10, RLENGTH - 10)
      }
      n = split(line, word, /[ \t]+/)
      i = word[1] == "" ? 2 : 1
      if (word[i] != want || word[i + 2] != suite) next
      for (c = i + 3; c <= n; c++) if (word[c] == "main") { emit(word[i + 1], signed); next }
    }
    END { if (deb822) stanza() }
  ' "${files[@]}"
}
