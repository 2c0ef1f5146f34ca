import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import XCTest

/// Runs the real `longctx` binary (built beside this test bundle) on the SmolLM2 directory that InferenceTestSupport
/// converts once per process; plain HTTP to a `longctx serve` child; inline transformers references. A missing
/// binary skips; a missing asset or venv skips, or fails when LONGCTX_REQUIRE_ASSETS=1.
enum CLITestSupport {
    /// What a finished command left: exit status (or the signal that ended it), stdout and stderr.
    struct Outcome {
        var status: Int32
        var signalled: Bool
        var stdout: String
        var stderr: String
        var succeeded: Bool { status == 0 && !signalled }
    }

    static func binary() throws -> String { try LongctxBinary.path() }

    /// Runs `longctx ARGUMENTS` to the end. stderr goes to a file so progress lines cannot fill a pipe and stall it.
    static func longctx(_ arguments: [String]) throws -> Outcome {
        let run = try runProgram(try binary(), arguments)
        return Outcome(status: run.status, signalled: run.signalled, stdout: run.stdoutText, stderr: run.stderr)
    }

    /// Runs `longctx ARGUMENTS`, failing the test (with stderr's tail) unless it exits 0; returns its stdout.
    @discardableResult
    static func longctxSucceeding(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let outcome = try longctx(arguments)
        XCTAssertTrue(outcome.succeeded, "longctx \(arguments.joined(separator: " ")) exited \(outcome.status):\n\(outcome.stderr.suffix(4000))",
                      file: file, line: line)
        return outcome.stdout
    }

    /// A `longctx` child left running (serve, or an eval to be killed); stdout and stderr go to files.
    final class Child {
        let process = Process()
        let stdoutPath: String
        let stderrPath: String

        init(_ arguments: [String]) throws {
            stdoutPath = try scratchFile("child-stdout")
            stderrPath = try scratchFile("child-stderr")
            process.executableURL = URL(fileURLWithPath: try binary())
            process.arguments = arguments
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
            try process.run()
        }

        var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

        /// Polls every 20 ms until `condition` holds (true) or the child exits or `seconds` pass (false).
        func wait(upTo seconds: Double, until condition: () -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if condition() { return true }
                if !process.isRunning { return condition() }
                usleep(20_000)
            }
            return false
        }

        func signal(_ number: Int32) { kill(process.processIdentifier, number) }

        /// Waits for the exit; (status, ended by a signal).
        func finish() -> (status: Int32, signalled: Bool) {
            process.waitUntilExit()
            return (process.terminationStatus, process.terminationReason == .uncaughtSignal)
        }

        deinit {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
            try? FileManager.default.removeItem(atPath: stdoutPath)
            try? FileManager.default.removeItem(atPath: stderrPath)
        }
    }

    static func scratchFile(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "longctx-cli-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))"
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw XCTSkip("cannot create a scratch file in \(NSTemporaryDirectory())")
        }
        return path
    }

    // MARK: HTTP

    struct HTTPReply {
        var status: Int
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> [String: Any] {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: body) as? [String: Any], "not a JSON object: \(text.prefix(500))")
        }
    }

    /// One request with a JSON body (or none), answered synchronously.
    static func http(_ method: String, _ url: String, json: [String: Any]? = nil, timeout: TimeInterval = 300) throws -> HTTPReply {
        var request = URLRequest(url: try XCTUnwrap(URL(string: url)), timeoutInterval: timeout)
        request.httpMethod = method
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        final class Box: @unchecked Sendable {
            var reply: Result<HTTPReply, Error>?
        }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let error {
                box.reply = .failure(error)
            } else {
                box.reply = .success(HTTPReply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data ?? Data()))
            }
            done.signal()
        }.resume()
        done.wait()
        return try box.reply!.get()
    }

    /// The JSON payloads of a server-sent-event body's `data:` lines, up to `data: [DONE]` (which must be there).
    static func serverSentEvents(_ body: String) throws -> [[String: Any]] {
        var events: [[String: Any]] = []
        var sawDone = false
        for line in body.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            guard line.hasPrefix("data:") else { continue }
            let payload = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
            if payload == "[DONE]" {
                sawDone = true
                break
            }
            events.append(try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any], payload))
        }
        XCTAssertTrue(sawDone, "the stream ends with data: [DONE]")
        return events
    }

    // MARK: Python references

    /// Runs `code` with .venv-torch's python (`sys.argv[1:]` = arguments); returns its stdout parsed as a JSON object.
    static func python(_ code: String, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let run = try runProgram(try InferenceTestSupport.python(), ["-c", code] + arguments,
                                 environment: ["TOKENIZERS_PARALLELISM": "false", "TRANSFORMERS_VERBOSITY": "error"])
        guard run.status == 0 else {
            XCTFail("reference python failed:\n\(run.stderr.suffix(4000))", file: file, line: line)
            throw XCTSkip("reference python failed")
        }
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any], "the reference printed no JSON object",
                             file: file, line: line)
    }

    // MARK: Run directories

    /// The records of a run's samples.jsonl, in file order.
    static func records(_ runDirectory: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: runDirectory + "/samples.jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
        }
    }

    /// What must agree between two runs of the same samples: id -> (prompt hash, output, scores as JSON text).
    static func comparable(_ records: [[String: Any]]) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for record in records {
            let id = try XCTUnwrap(record["id"] as? String)
            let scores = try JSONSerialization.data(withJSONObject: record["scores"] ?? [:], options: [.sortedKeys])
            result[id] = ["\(record["promptHash"] ?? "-")", "\(record["output"] ?? "-")", String(decoding: scores, as: UTF8.self)]
        }
        return result
    }

    /// A few KB of plain prose (written for these tests) to fill haystacks.
    static let prose = """
        The lighthouse on the northern cape was built of grey granite carried by boat from a quarry two days to the \
        south. Its keeper kept a ledger of every ship that passed, noting the hour, the wind and the colour of the sea. \
        In winter the storms came from the west and the spray reached the lamp room, so the glass had to be wiped \
        twice a night. The keeper's daughter learned to read from that ledger, sounding out the names of schooners \
        and steamers while her father trimmed the wicks.

        A village grew around the harbour below the cape. Fishermen mended their nets on the sea wall, and the baker \
        opened before dawn so that the crews could buy bread warm from the oven. On market days farmers brought \
        cheese, apples and wool from the valley, and the square filled with the sound of bargaining. The school had \
        one room and one stove, and the children took turns carrying coal from the shed behind it.

        Each spring the river that ran through the valley flooded the lower meadows. The farmers had learned to plant \
        late and to keep their sheep on the hillsides until the water drew back. Old stone walls marked the fields, \
        some so ancient that nobody remembered who had built them. Moss covered the northern faces of the stones, and \
        in the cracks grew small white flowers that bloomed for only a week.

        The railway arrived when the keeper's daughter was twelve. Engineers surveyed the valley with brass \
        instruments and wooden poles painted in red and white bands. They cut a tunnel through the ridge and laid a \
        bridge of iron girders across the river. When the first train steamed into the new station, the whole village \
        turned out to watch, and the band played until the musicians ran out of breath.

        Trade changed after that. Fish could reach the city markets in a single day, packed in ice cut from the lake \
        in winter and stored in sawdust through the summer. The harbour grew busier, and a second pier was built of \
        timber brought from the forests inland. Merchants built tall houses with slate roofs along the road to the \
        station, and a small hotel opened for travellers who came to paint the cliffs.

        Years later the keeper's daughter became the keeper herself. She replaced the oil lamp with an electric one \
        but kept the ledger in the same careful hand. On clear nights she could see the lights of three other \
        lighthouses along the coast, each with its own rhythm of flashes, and she liked to think of the keepers in \
        them writing in their own ledgers at the same hour. When she retired she gave the ledgers to the village \
        library, where they fill a whole shelf and are still read by anyone curious about the ships of the past.
        """
}
