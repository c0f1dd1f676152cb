package dev.balboa.app;

import dev.balboa.api.Devices;
import java.util.List;

/** {@code balboa devices}: what device discovery found, what it skipped and why. */
final class DevicesCommand implements Command {

    @Override
    public String name() { return "devices"; }

    @Override
    public String summary() { return "list the device providers found, their status and devices"; }

    @Override
    public String description() {
        return "Prints every device provider found on the module path with its status (active, standby,\n"
                + "unavailable, excluded or broken) and reason, and each usable device.";
    }

    @Override
    public List<Option> options() { return List.of(); }

    @Override
    public int run(Args args, Context context) throws UsageException {
        args.expectNoPositional();
        context.out().print(Devices.describe());
        context.out().println("default device: " + (Devices.types().isEmpty() ? "(none)" : Devices.defaultDevice()));
        return Devices.types().isEmpty() ? 1 : 0;
    }
}
