package dev.ballot.testkit.sim.runtime;

/** A check of a full-runtime run failed: {@code check} names which, {@code getMessage} says how. */
final class RuntimeViolation extends RuntimeException {

    private final String check;

    RuntimeViolation(String check, String detail) {
        super(check + ": " + detail);
        this.check = check;
    }

    String check() {
        return check;
    }
}
