package dev.balboa.it;

import dev.balboa.spi.Backend;
import dev.balboa.tck.DeviceConformanceKit;
import org.example.balboa.reference.ReferenceProvider;

/**
 * Runs the conformance kit on a separately opened reference device: it must agree with itself
 * on every case (which checks the kit's own plumbing) and pass every closed-form check.
 */
class ReferenceDeviceConformanceTest extends DeviceConformanceKit {
    @Override
    protected Backend backend() { return new ReferenceProvider().open().get(0); }
}
