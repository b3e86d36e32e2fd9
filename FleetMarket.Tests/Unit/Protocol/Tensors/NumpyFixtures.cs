namespace FleetMarket.Tests.Unit.Protocol.Tensors;

/// <summary>Files written by numpy 1.24 itself, so the codec is checked against the real thing, not against its own writer.</summary>
internal static class NumpyFixtures
{
    /// <summary><c>np.arange(6, dtype='&lt;f4').reshape(2, 3)</c></summary>
    public static readonly byte[] Float32Matrix = Convert.FromBase64String(
        "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAg" +
        "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAPwAAAEAAAEBAAACAQAAA" +
        "oEA=");

    /// <summary><c>np.asfortranarray(np.arange(24, dtype='&lt;i8').reshape(2, 3, 4))</c></summary>
    public static readonly byte[] FortranInt64 = Convert.FromBase64String(
        "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMywgNCksIH0gICAg" +
        "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAwAAAAAAAAABAAAAAAA" +
        "AAAQAAAAAAAAAAgAAAAAAAAAFAAAAAAAAAABAAAAAAAAAA0AAAAAAAAABQAAAAAAAAARAAAAAAAAAAkAAAAAAAAAFQAAAAAAAAAC" +
        "AAAAAAAAAA4AAAAAAAAABgAAAAAAAAASAAAAAAAAAAoAAAAAAAAAFgAAAAAAAAADAAAAAAAAAA8AAAAAAAAABwAAAAAAAAATAAAA" +
        "AAAAAAsAAAAAAAAAFwAAAAAAAAA=");

    /// <summary><c>np.array([1.5, -2.25], dtype='&lt;f8') written as format 2.0</c></summary>
    public static readonly byte[] Version2Float64 = Convert.FromBase64String(
        "k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjgnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwpLCB9ICAgICAg" +
        "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAD4PwAAAAAAAALA");

    /// <summary><c>np.array([[7, -8]], dtype='&lt;i4') written as format 3.0</c></summary>
    public static readonly byte[] Version3Int32 = Convert.FromBase64String(
        "k05VTVBZAwB0AAAAeydkZXNjcic6ICc8aTQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMSwgMiksIH0gICAg" +
        "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoHAAAA+P///w==");

    /// <summary><c>np.float64(3.5)</c></summary>
    public static readonly byte[] ScalarFloat64 = Convert.FromBase64String(
        "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAg" +
        "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAMQA==");

    /// <summary><c>np.array([1.0], dtype='&gt;f4')</c></summary>
    public static readonly byte[] BigEndianFloat32 = Convert.FromBase64String(
        "k05VTVBZAQB2AHsnZGVzY3InOiAnPmY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsKSwgfSAgICAgICAg" +
        "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo/gAAA");

    /// <summary><c>np.array([1 + 2j], dtype='&lt;c8')</c></summary>
    public static readonly byte[] Complex64 = Convert.FromBase64String(
        "k05VTVBZAQB2AHsnZGVzY3InOiAnPGM4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDEsKSwgfSAgICAgICAg" +
        "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AAAAQA==");

    /// <summary><c>np.zeros(2, dtype=[('a', '&lt;f4'), ('b', '&lt;i4')])</c></summary>
    public static readonly byte[] Structured = Convert.FromBase64String(
        "k05VTVBZAQB2AHsnZGVzY3InOiBbKCdhJywgJzxmNCcpLCAoJ2InLCAnPGk0JyldLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAn" +
        "c2hhcGUnOiAoMiwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAAAA");

    /// <summary><c>np.savez(f, b=np.array([1, 2, 3], dtype='&lt;i8'), a=np.array([[True, False]]))</c></summary>
    public static readonly byte[] SavezStored = Convert.FromBase64String(
        "UEsDBBQAAAAAAAAAIQC8kVWOmAAAAJgAAAAFABQAYi5ucHkBABAAmAAAAAAAAACYAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzog" +
        "JzxpOCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgzLCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAg" +
        "ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAQAAAAAAAAACAAAAAAAAAAMAAAAAAAAAUEsDBBQAAAAAAAAAIQAQGToZ" +
        "ggAAAIIAAAAFABQAYS5ucHkBABAAggAAAAAAAACCAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJ3xiMScsICdmb3J0cmFuX29y" +
        "ZGVyJzogRmFsc2UsICdzaGFwZSc6ICgxLCAyKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg" +
        "ICAgICAgICAgICAgICAKAQBQSwECFAMUAAAAAAAAACEAvJFVjpgAAACYAAAABQAAAAAAAAAAAAAAgAEAAAAAYi5ucHlQSwECFAMU" +
        "AAAAAAAAACEAEBk6GYIAAACCAAAABQAAAAAAAAAAAAAAgAHPAAAAYS5ucHlQSwUGAAAAAAIAAgBmAAAAiAEAAAAA");

    /// <summary><c>np.savez_compressed(f, b=np.array([1, 2, 3], dtype='&lt;i8'), a=np.array([[True, False]]))</c></summary>
    public static readonly byte[] SavezCompressed = Convert.FromBase64String(
        "UEsDBBQAAAAIAAAAIQC8kVWOTQAAAJgAAAAFABQAYi5ucHkBABAAmAAAAAAAAABNAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6l" +
        "oG6TaaGuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GsY6mjoKtQoUAC5GBghggtLMUBoAUEsDBBQAAAAIAAAAIQAQGToZ" +
        "SAAAAIIAAAAFABQAYS5ucHkBABAAggAAAAAAAABIAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loF6TZKiuo6Cell9UUpSYF59f" +
        "lJIKEndLzClOBYoXZyQWpAL5GoY6CkaaOgq1CmQDLkYGAFBLAQIUAxQAAAAIAAAAIQC8kVWOTQAAAJgAAAAFAAAAAAAAAAAAAACA" +
        "AQAAAABiLm5weVBLAQIUAxQAAAAIAAAAIQAQGToZSAAAAIIAAAAFAAAAAAAAAAAAAACAAYQAAABhLm5weVBLBQYAAAAAAgACAGYA" +
        "AAADAQAAAAA=");
}
