package dev.ballot.testkit.chaos;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/** The kinds of fault the nemesis injects (the {@code --nemesis} names, lower case). */
public enum FaultFamily {
    /** SIGKILL a node (random or the leader), restart it later. */
    KILL,
    /** SIGSTOP a node for longer than an election timeout, then SIGCONT. */
    PAUSE,
    /** Cut the network into a shape: isolated leader, random halves, bridge, ring. */
    PARTITION,
    /** Drop a share of the peer messages. */
    LOSS,
    /** Delay peer messages. */
    DELAY;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code all}, {@code none} or a comma-separated list such as {@code kill,partition}. */
    public static List<FaultFamily> parseList(String text) {
        if (text.strip().equalsIgnoreCase("all")) return List.of(values());
        if (text.strip().equalsIgnoreCase("none")) return List.of();
        EnumSet<FaultFamily> families = EnumSet.noneOf(FaultFamily.class);
        for (String part : text.split(",")) {
            String name = part.strip();
            if (name.isEmpty()) continue;
            try {
                families.add(valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown nemesis '" + name + "': use all or a list of kill, pause, partition, loss, delay", e);
            }
        }
        return new ArrayList<>(families);
    }
}
