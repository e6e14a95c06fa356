import Foundation
import Testing
@testable import CostDefender

/// cmark-gfm allocates from a per-thread arena that is reused page after page: pages that need
/// more than one chunk, text that grows by reallocation, and two threads at once all render as a
/// fresh allocator would.
@Suite struct MarkdownArenaTests {
    /// A table of `rows` rows (~300 bytes of nodes a row: more than one 1 MiB chunk at 5,000).
    static func table(_ rows: Int) -> String {
        "| Item | Amount |\n|:---|---:|\n" + (0..<rows).map { "| row \($0) | $\($0).00 |" }.joined(separator: "\n") + "\n"
    }

    @Test func aPageRendersTheSameWhenTheArenaIsReused() {
        let big = Self.table(5_000)
        let first = MarkdownRenderer.html(big)
        #expect(first.components(separatedBy: "<tr>").count - 1 == 5_001)
        #expect(first.contains("<td>row 4999</td>"))
        #expect(MarkdownRenderer.html("# Title\n\n**x**\n") == "<h1>Title</h1>\n<p><strong>x</strong></p>\n")
        #expect(MarkdownRenderer.html(big) == first)
    }

    @Test func longTextGrowsByReallocation() {
        let text = (0..<400_000).map { "w\($0 % 10)" }.joined(separator: " ")
        #expect(MarkdownRenderer.html(text + "\n") == "<p>" + text + "</p>\n")
    }

    @Test func twoThreadsRenderAtOnce() {
        let pages = [Self.table(3_000), "Some *emphasis* and a [link](https://example.com).\n", Self.table(10)]
        let expected = pages.map { MarkdownRenderer.html($0) }
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var mismatches = 0
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 24) { i in
            let ok = MarkdownRenderer.html(pages[i % 3]) == expected[i % 3]
            if !ok { results.lock.lock(); results.mismatches += 1; results.lock.unlock() }
        }
        #expect(results.mismatches == 0)
    }
}
