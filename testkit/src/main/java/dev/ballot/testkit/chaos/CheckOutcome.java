package dev.ballot.testkit.chaos;

/** The result of one check of a chaos run. */
public record CheckOutcome(String name, Status status, String detail) {

    public enum Status {
        PASS,
        FAIL,
        /** The check could not decide (e.g. the linearizability checker ran out of budget): not a pass. */
        UNKNOWN
    }

    public static CheckOutcome pass(String name, String detail) {
        return new CheckOutcome(name, Status.PASS, detail);
    }

    public static CheckOutcome fail(String name, String detail) {
        return new CheckOutcome(name, Status.FAIL, detail);
    }

    public boolean passed() {
        return status == Status.PASS;
    }

    @Override
    public String toString() {
        return status + "  " + name + ": " + detail;
    }
}
