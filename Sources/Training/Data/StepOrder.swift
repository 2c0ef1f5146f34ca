/// The micro-batches of one optimizer step in ProLong's order: by the sum of squared document
/// lengths (attention work), largest first, so data-parallel ranks taking micro-batches in turn get
/// balanced work. Ties keep their drawing order, so the order is deterministic.
public func orderedForStep(_ sequences: [TrainingSequence]) -> [TrainingSequence] {
    sequences.enumerated()
        .sorted { a, b in a.element.attentionWork != b.element.attentionWork
            ? a.element.attentionWork > b.element.attentionWork : a.offset < b.offset }
        .map(\.element)
}
