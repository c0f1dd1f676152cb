/**
 * The device conformance kit: a JUnit suite that runs every primitive op of a device against the
 * scalar reference device. A plugin author extends {@link dev.balboa.tck.DeviceConformanceKit}
 * in one test class.
 */
module dev.balboa.tck {
    requires transitive dev.balboa.spi;
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.jupiter.params;
    requires org.example.balboa.reference;
    exports dev.balboa.tck;
}
