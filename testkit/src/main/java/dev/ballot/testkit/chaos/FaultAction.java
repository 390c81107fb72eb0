package dev.ballot.testkit.chaos;

/**
 * One thing the nemesis can do, named as in a plan ({@link Plan}). Each starts or ends a fault of
 * its {@link FaultFamily}.
 */
public enum FaultAction {
    /** Kill a node: {@code kill} (random) or {@code kill:3}. */
    KILL("kill", FaultFamily.KILL, true),
    KILL_LEADER("kill-leader", FaultFamily.KILL, true),
    /** Restart every killed node. */
    RESTART("restart", FaultFamily.KILL, false),
    /** Pause a node: {@code pause} (random) or {@code pause:3}. */
    PAUSE("pause", FaultFamily.PAUSE, true),
    PAUSE_LEADER("pause-leader", FaultFamily.PAUSE, true),
    /** Resume every paused node. */
    RESUME("resume", FaultFamily.PAUSE, false),
    /** The leader alone on one side. */
    PARTITION_LEADER("partition-leader", FaultFamily.PARTITION, true),
    /** A random minority and majority. */
    PARTITION_RANDOM("partition-random", FaultFamily.PARTITION, true),
    /** Two halves that both see one bridge node (directed cuts). */
    PARTITION_BRIDGE("partition-bridge", FaultFamily.PARTITION, true),
    /** Each node sees only its two neighbours on a random ring. */
    PARTITION_RING("partition-ring", FaultFamily.PARTITION, true),
    /** Every link works again. */
    HEAL("heal", FaultFamily.PARTITION, false),
    /** Message loss: {@code loss} (20%) or {@code loss:0.3}. */
    LOSS("loss", FaultFamily.LOSS, true),
    /** Message delay: {@code delay} (5-50 ms) or {@code delay:10-30} (ms). */
    DELAY("delay", FaultFamily.DELAY, true),
    /** No loss, no delay. */
    CLEAR("clear", FaultFamily.LOSS, false);

    private final String planName;
    private final FaultFamily family;
    private final boolean starts;

    FaultAction(String planName, FaultFamily family, boolean starts) {
        this.planName = planName;
        this.family = family;
        this.starts = starts;
    }

    public String planName() {
        return planName;
    }

    public FaultFamily family() {
        return family;
    }

    /** True if the action starts a fault, false if it ends one. */
    public boolean starts() {
        return starts;
    }

    /** The action that ends faults of {@code family}. */
    public static FaultAction endOf(FaultFamily family) {
        return switch (family) {
            case KILL -> RESTART;
            case PAUSE -> RESUME;
            case PARTITION -> HEAL;
            case LOSS, DELAY -> CLEAR;
        };
    }

    public static FaultAction byPlanName(String name) {
        for (FaultAction action : values()) {
            if (action.planName.equals(name)) return action;
        }
        throw new IllegalArgumentException("unknown nemesis action '" + name + "': use one of " + allPlanNames());
    }

    static String allPlanNames() {
        StringBuilder names = new StringBuilder();
        for (FaultAction action : values()) {
            if (!names.isEmpty()) names.append(", ");
            names.append(action.planName);
        }
        return names.toString();
    }
}
