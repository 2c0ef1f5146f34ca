/// Several tasks run as one (RULER's 13): their samples in order, each scored by the task that made it.
public struct TaskSuite: EvalTask {
    public let name: String
    public let tasks: [any EvalTask]

    public init(name: String, tasks: [any EvalTask]) {
        self.name = name
        self.tasks = tasks
    }

    public func makeSamples(tokenizer: any TokenCounting) throws -> [EvalSample] {
        try tasks.flatMap { try $0.makeSamples(tokenizer: tokenizer) }
    }

    public func score(output: String, sample: EvalSample) -> EvalScores {
        guard let task = tasks.first(where: { $0.name == sample.task }) else {
            preconditionFailure("TaskSuite \(name): no task named \(sample.task)")
        }
        return task.score(output: output, sample: sample)
    }
}
