import Corpus
import Foundation

/// `longctx data merge`: joins the parts that `--worker i --workers n` runs wrote into one output
/// identical to a single run of the recipe: same files, same bytes, same manifest.
public enum DataMerge {
    @discardableResult
    public static func merge(parts: [String], output: String, toolVersion: String) throws -> Manifest {
        guard !parts.isEmpty else { throw BuildError.merge("no parts given") }
        let layouts = parts.map { BuildLayout(root: $0) }
        guard let recipeData = FileManager.default.contents(atPath: layouts[0].recipePath),
              let text = String(data: recipeData, encoding: .utf8) else {
            throw BuildError.merge("\(parts[0]) has no recipe.yaml: not a build output")
        }
        for layout in layouts.dropFirst() where FileManager.default.contents(atPath: layout.recipePath) != recipeData {
            throw BuildError.merge("\(layout.root) was built from a different recipe than \(parts[0])")
        }
        let tokenizer = try layouts[0].loadTokenizerInfo()
        for layout in layouts.dropFirst() where try layout.loadTokenizerInfo() != tokenizer {
            throw BuildError.merge("\(layout.root) was built with a different tokenizer than \(parts[0])")
        }
        // The text is already resolved: parse it as is (no parameters left to fill).
        let recipe = try RecipeParser.parse(text, file: layouts[0].recipePath)
        let plan = BuildPlan(recipe: recipe)
        let out = BuildLayout(root: output)
        guard !FileManager.default.fileExists(atPath: out.manifestPath) else {
            throw BuildError.merge("\(output) already holds a finished build")
        }
        try makeDirectory(out.stateDirectory)
        for unit in plan.units {
            let owners = try layouts.filter { try $0.loadResult(unit: unit.id)?.complete == true }
            guard let owner = owners.first else {
                throw BuildError.merge("unit \(unit.id) is not complete in any part: rerun the worker that owns it (same --out), then merge")
            }
            guard owners.count == 1 || owners.allSatisfy({ sameResult($0, owner, unit: unit.id) }) else {
                throw BuildError.merge("unit \(unit.id) was built differently in two parts")
            }
            guard owner.root != out.root else { continue }
            let stage = recipe.stages[unit.stageIndex]
            for d in unit.destinations {
                let name = stage.sources[d].name
                try copyDirectory(owner.streamDirectory(stage: stage.name, source: name),
                                  to: out.streamDirectory(stage: stage.name, source: name))
            }
            try copyFile(owner.resultPath(unit: unit.id), to: out.resultPath(unit: unit.id))
        }
        try writeAtomically(out.recipePath, data: recipeData)
        try out.saveTokenizerInfo(tokenizer)
        return try DataBuilder.finalize(plan: plan, layout: out, tokenizer: tokenizer, toolVersion: toolVersion)
    }

    private static func sameResult(_ a: BuildLayout, _ b: BuildLayout, unit: String) -> Bool {
        FileManager.default.contents(atPath: a.resultPath(unit: unit)) == FileManager.default.contents(atPath: b.resultPath(unit: unit))
    }

    /// Hard links when the parts are on the same file system (no copy of big shards), else copies.
    private static func copyDirectory(_ source: String, to target: String) throws {
        try makeDirectory(target)
        for name in try FileManager.default.contentsOfDirectory(atPath: source) {
            try copyFile(source + "/" + name, to: target + "/" + name)
        }
    }

    private static func copyFile(_ source: String, to target: String) throws {
        try? FileManager.default.removeItem(atPath: target)
        if link(source, target) == 0 { return }
        try FileManager.default.copyItem(atPath: source, toPath: target)
    }
}
