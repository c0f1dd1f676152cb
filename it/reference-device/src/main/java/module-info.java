/**
 * A plain-Java scalar device, written the way a third party writes a Balboa plugin: it depends on
 * {@code dev.balboa.spi} alone and is found through {@code ServiceLoader}. Every op is computed
 * element by element in double (or long) precision, which makes it the oracle of the device
 * conformance kit.
 */
module org.example.balboa.reference {
    requires dev.balboa.spi;
    exports org.example.balboa.reference;
    provides dev.balboa.spi.DeviceProvider with org.example.balboa.reference.ReferenceProvider;
}
