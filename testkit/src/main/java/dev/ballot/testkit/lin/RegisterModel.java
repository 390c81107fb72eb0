package dev.ballot.testkit.lin;

import java.util.Objects;

/** read / write / cas on one register per key, absent (null) at first. */
final class RegisterModel implements Model {

    @Override
    public String name() {
        return "register";
    }

    @Override
    public String initialState() {
        return null;
    }

    @Override
    public boolean isRead(String f) {
        return switch (f) {
            case "read" -> true;
            case "write", "cas" -> false;
            default -> throw new IllegalArgumentException("the register model has read, write and cas, not '" + f + "'");
        };
    }

    @Override
    public boolean allows(String state, Operation op) {
        return switch (op.f()) {
            case "read" -> Objects.equals(state, op.value());
            case "write" -> true;
            // A failed cas is a definite answer: the register did not hold the expected value.
            case "cas" -> op.outcome() == Operation.Outcome.FAILED
                    ? !Objects.equals(state, op.expected())
                    : Objects.equals(state, op.expected());
            default -> throw new IllegalStateException("unexpected operation " + op.f());
        };
    }

    @Override
    public String apply(String state, Operation op) {
        return switch (op.f()) {
            case "read" -> state;
            case "write" -> op.value();
            case "cas" -> op.outcome() == Operation.Outcome.FAILED ? state : op.value();
            default -> throw new IllegalStateException("unexpected operation " + op.f());
        };
    }
}
