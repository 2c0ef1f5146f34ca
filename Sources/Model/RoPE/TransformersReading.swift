/// The transformers major versions whose config reading we reproduce. They read the same config.json
/// differently: v4 takes `rope_theta` and `rope_scaling` only; v5 takes `rope_scaling` if set, else
/// `rope_parameters`, and fills that dict's missing `rope_theta` from the top level (10000 when
/// absent everywhere — the trap DESIGN.md measured). Reading both lets us warn on load and refuse to
/// write a config the two would run differently.
public enum TransformersReading: String, Sendable, CaseIterable {
    /// transformers 4.x (checked against 4.57.6).
    case v4
    /// transformers 5.x (checked against 5.23.0).
    case v5
}
