# Sourced by ./ballot and .ci/run: finds a JDK >= 21 and exports JAVA_HOME.
# Order: $JAVA_HOME, then `java` on PATH, then /usr/lib/jvm/* (newest first).
# Never hard-codes one machine's path; fails with a clear message if none is found.

BALLOT_MIN_JAVA=21

# Prints the feature version (e.g. 17, 21, 25) of the java binary $1, or nothing.
ballot_java_version() {
  local out ver
  # The version line, not the first line: with JAVA_TOOL_OPTIONS or JDK_JAVA_OPTIONS set, the JVM
  # prints "Picked up ..." before it.
  out=$("$1" -version 2>&1 | grep -m 1 ' version "') || return 1
  ver=$(printf '%s\n' "$out" | sed -n 's/.*version "\([^"]*\)".*/\1/p')
  [ -n "$ver" ] || return 1
  case "$ver" in
    1.*) ver=${ver#1.}; ver=${ver%%.*} ;;
    *)   ver=${ver%%[.+-]*} ;;
  esac
  printf '%s\n' "$ver"
}

# Prints the JAVA_HOME of a JDK (java and javac) >= $BALLOT_MIN_JAVA, or returns 1.
ballot_find_jdk() {
  local candidates=() home java v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if java=$(command -v java 2>/dev/null); then
    java=$(readlink -f "$java" 2>/dev/null || printf '%s' "$java")
    candidates+=("$(dirname "$(dirname "$java")")")
  fi
  local jvm_dir=${BALLOT_JVM_DIR:-/usr/lib/jvm}  # overridable to test this script
  if [ -d "$jvm_dir" ]; then
    while IFS= read -r home; do candidates+=("$home"); done \
      < <(find "$jvm_dir" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort -rV)
  fi
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    v=$(ballot_java_version "$home/bin/java") || continue
    if [ "$v" -ge "$BALLOT_MIN_JAVA" ] 2>/dev/null; then
      printf '%s\n' "$home"
      return 0
    fi
  done
  return 1
}

if BALLOT_JAVA_HOME=$(ballot_find_jdk); then
  export JAVA_HOME="$BALLOT_JAVA_HOME"
  export PATH="$JAVA_HOME/bin:$PATH"
else
  echo "error: Ballot needs a JDK $BALLOT_MIN_JAVA or newer (java and javac), and none was found." >&2
  echo "       Looked at \$JAVA_HOME (${JAVA_HOME:-unset}), 'java' on PATH, and ${BALLOT_JVM_DIR:-/usr/lib/jvm}/*." >&2
  echo "       Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) or set JAVA_HOME to it." >&2
  return 1 2>/dev/null || exit 1
fi
