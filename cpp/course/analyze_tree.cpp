// A head report as a Tree (and, natively, as JSON): the report's fields listed once. A file of its
// own so that it compiles at -Oz (CMakeLists.txt): it runs once per head and analysis, and at -O3
// the Tree building inlined into 10.8 KB of the course-model module.
#include <string>

#include "analyze.hpp"
#include "tree_json.hpp"

namespace attn {

Tree head_tree(const HeadReport& r) {
  const auto score = [](int count, double accuracy, double baseline, int baseline_offset) {
    return Tree::object()
        .set("count", Tree::of_integer(count))
        .set("accuracy", Tree::of_number(accuracy))
        .set("baseline", Tree::of_number(baseline))
        .set("baseline_offset", Tree::of_integer(baseline_offset));
  };
  Tree rel = Tree::object();
  for (const auto& [k, sc] : r.relations) {
    const Tree* dirs = rel.find(rel_name(k.rel));
    Tree d = dirs ? *dirs : Tree::object();
    d.set(direction_name(k.dir), score(sc.count, sc.accuracy, sc.baseline, sc.baseline_offset));
    rel.set(rel_name(k.rel), std::move(d));
  }
  Tree j = Tree::object()
               .set("id", Tree::of_text(std::to_string(r.layer + 1) + "-" + std::to_string(r.head + 1)))
               .set("layer", Tree::of_integer(r.layer + 1))
               .set("head", Tree::of_integer(r.head + 1))
               .set("label", Tree::of_text(r.label))
               .set("previous", Tree::of_number(r.previous))
               .set("next", Tree::of_number(r.next))
               .set("self", Tree::of_number(r.self))
               .set("first", Tree::of_number(r.first))
               .set("entropy", Tree::of_number(r.entropy))
               .set("uniform_entropy", Tree::of_number(r.uniform_entropy))
               .set("relations", std::move(rel));
  RelationKey k{};
  RelationScore sc;
  if (best_relation(r, &k, &sc))
    j.set("best_relation", score(sc.count, sc.accuracy, sc.baseline, sc.baseline_offset)
                               .set("relation", Tree::of_text(rel_name(k.rel)))
                               .set("direction", Tree::of_text(direction_name(k.dir)))
                               .set("phrase", Tree::of_text(relation_phrase(k))));
  return j;
}

nlohmann::json head_json(const HeadReport& r) { return to_json(head_tree(r)); }

}  // namespace attn
