// The viewer's panels. Sections: [toolbar] [inspector] [summary] [faults and what-if]
// [event list] [cluster map] [help].
#include "sim/assert.h"
#include "sim/faults/fault.h"
#include "visualizer/app/viewer_state.h"
#include "visualizer/palette.h"
#include "visualizer/stored_run.h"

#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <functional>

namespace faultline::view {

namespace {

void help_marker(const char* text) {
    ImGui::SameLine();
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
        ImGui::TextUnformatted(text);
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

std::string node_label(const RunModel& m, NodeId n) { return n == no_node ? std::string("-") : m.node_name(n); }

std::string describe_event(const RunModel& m, const TraceEvent& e) {
    std::string out = fmt::format("{}", to_string(e.kind));
    if (e.name) out += " " + m.name(e.name);
    if (e.kind == EventKind::drop) out += fmt::format(" ({})", to_string(static_cast<DropReason>(e.reason)));
    if (e.kind == EventKind::client_complete) out += fmt::format(" ({})", to_string(static_cast<ClientOutcome>(e.reason)));
    if (!e.text.empty()) out += ": " + e.text.str();
    return out;
}

ImVec4 kind_colour(EventKind k) {
    switch (k) {
    case EventKind::send:
    case EventKind::deliver: return ImVec4(0.0f, 0.35f, 0.65f, 1);
    case EventKind::drop: return ImVec4(0.8f, 0.1f, 0.1f, 1);
    case EventKind::crash: return ImVec4(0.75f, 0.0f, 0.0f, 1);
    case EventKind::restart: return ImVec4(0.1f, 0.55f, 0.2f, 1);
    case EventKind::annotate: return ImVec4(0.55f, 0.4f, 0.0f, 1);
    case EventKind::client_invoke:
    case EventKind::client_complete: return ImVec4(0.1f, 0.5f, 0.25f, 1);
    default: return is_fault_kind(k) ? ImVec4(0.6f, 0.2f, 0.6f, 1) : ImVec4(0.3f, 0.3f, 0.3f, 1);
    }
}

// A what-if edit: re-run with the edited spec; or, in live mode, do the same to the live run now
// (the faults the edit adds are applied or queued, the drops it adds happen now).
void rerun_with(ViewerState& s, const std::function<void(ViewRunSpec&)>& edit) {
    ViewRunSpec spec = s.run.spec;
    const std::size_t added = spec.edits.added.size(), dropped = spec.edits.dropped_messages.size();
    edit(spec);
    if (!s.live) {
        rerun(s, spec);
        return;
    }
    if (s.live->finished()) {
        s.status = "the live run has ended: Finish it to keep it, or start again";
        return;
    }
    for (std::size_t i = added; i < spec.edits.added.size(); ++i) {
        faults::ScheduledFault f = spec.edits.added[i];
        f.at = std::max(f.at, s.live->now());
        s.live->schedule(f);
    }
    for (std::size_t i = dropped; i < spec.edits.dropped_messages.size(); ++i)
        if (!s.live->drop(spec.edits.dropped_messages[i].second)) s.status = "that message is no longer in flight";
    refresh_live(s);
}

void draw_live(ViewerState& s) {
    if (!s.live) {
        bool start = ImGui::Button("Start a live run of this seed");
        note_item(s, "live:start");
        help_marker("Runs this seed from t = 0 step by step. Play (Space) or step, and at any moment crash, restart, "
                    "partition, skew a clock or drop a message in flight with the buttons below; then go on. "
                    "Finish keeps it as an edited run whose faults replay.");
        if (start) start_live(s);
        return;
    }
    ImGui::TextColored(ImVec4(0.75f, 0.1f, 0.1f, 1), "LIVE at %s of %s, %zu action(s)", format_time(s.live->now()).c_str(),
                       format_time(s.live->end()).c_str(), s.live->actions().size());
    for (int ms : {1, 10, 100, 1000}) {
        std::string label = fmt::format("+{} ms", ms);
        bool step = ImGui::Button(label.c_str());
        note_item(s, "live:step" + std::to_string(ms));
        ImGui::SameLine();
        if (step) advance_live(s, s.live->now() + milliseconds(ms));
    }
    bool finish = ImGui::Button("Finish");
    note_item(s, "live:finish");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Keep it: re-run the seed with the live actions as its faults (they replay)");
    if (finish) {
        finish_live(s);
        return;
    }
    // Messages in flight now: click one to drop it.
    auto flying = s.live->in_flight();
    ImGui::Text("In flight now (%zu): click to drop", flying.size());
    ImGui::BeginChild("in_flight", ImVec2(0, 70), true);
    const auto& names = s.live->world().node_names();
    for (const InFlightMessage& f : flying) {
        std::string line = fmt::format("{} {} -> {}, arrives {}##m{}", f.type_name, names.at(f.from), names.at(f.to),
                                       format_time(f.arrives_at), f.id);
        bool clicked = ImGui::Selectable(line.c_str(), false);
        note_item(s, fmt::format("live:in_flight:{}", f.id));
        if (clicked) {
            if (s.live->drop(f.id)) refresh_live(s);
            break;
        }
    }
    ImGui::EndChild();
}

}  // namespace

// ============================================================================================
// [toolbar]
// ============================================================================================

void draw_toolbar(ViewerState& s) {
    if (ImGui::Button(s.playing ? "Pause" : "Play ", ImVec2(56, 0))) s.playing = !s.playing;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Play or pause (Space): the cursor moves at the chosen speed");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(110);
    ImGui::SliderFloat("##speed", &s.speed, 0.001f, 10.0f, "speed %.3fx", ImGuiSliderFlags_Logarithmic);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Virtual seconds per real second ([ and ] halve and double)");
    ImGui::SameLine();
    if (ImGui::Button("< event")) step_event(s, -1);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Previous listed event (Left arrow)");
    ImGui::SameLine();
    if (ImGui::Button("event >")) step_event(s, +1);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Next listed event (Right arrow); the event list's filters apply");
    ImGui::SameLine();
    float cursor_ms = static_cast<float>((s.cursor - Instant::zero()).ms_f());
    ImGui::SetNextItemWidth(150);
    if (ImGui::DragFloat("##cursor", &cursor_ms, 0.5f, 0, static_cast<float>((s.model().end() - Instant::zero()).ms_f()), "t = %.3f ms"))
        s.cursor = Instant::from_ns(static_cast<int64_t>(static_cast<double>(cursor_ms) * 1e6));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The time cursor (drag, or click the ruler above the lanes)");
    ImGui::SameLine();
    if (ImGui::Button("Fit all")) fit_all(s);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show the whole run (F)");
    ImGui::SameLine();
    bool compress = s.axis_mode == AxisMode::event_order;
    if (ImGui::Checkbox("Compress idle time", &compress)) set_axis_mode(s, compress ? AxisMode::event_order : AxisMode::true_time);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("C: space events evenly in trace order instead of by true time");
    ImGui::SameLine();
    bool lamport = s.axis_mode == AxisMode::lamport;
    if (ImGui::Checkbox("Lamport", &lamport)) set_axis_mode(s, lamport ? AxisMode::lamport : AxisMode::true_time);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("L: lay events out by Lamport time (causal order) instead of true time");
    ImGui::SameLine();
    if (ImGui::Button("Jump to failure")) jump_to_failure(s);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("J: the checker's counterexample, zoomed and highlighted");
    ImGui::SameLine();
    int& seed_input = s.seed_input;
    if (seed_input < 0) seed_input = static_cast<int>(s.run.spec.seed);
    ImGui::SetNextItemWidth(90);
    ImGui::InputInt("##seed", &seed_input);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Seed: the same seed replays the same run");
    ImGui::SameLine();
    if (ImGui::Button("Run seed") && s.run.editable) {
        ViewRunSpec spec = s.run.spec;  // the same scenario and system, another seed, no edits
        spec.seed = static_cast<uint64_t>(std::max(0, seed_input));
        spec.edits = {};
        rerun(s, spec);
        fit_all(s);
    }
    ImGui::SameLine();
    if (ImGui::Button("Help (H)")) s.show_help = !s.show_help;
    ImGui::SameLine();
    ImGui::TextDisabled("%.1f ms/frame", s.frame_ms);
    ImGui::TextColored(ImVec4(0.2f, 0.2f, 0.5f, 1), "%s", s.status.c_str());
}

// ============================================================================================
// [inspector]
// ============================================================================================

void draw_inspector(ViewerState& s) {
    const RunModel& m = s.model();
    switch (s.selection.kind) {
    case SelectionKind::none:
        s.inspector_heading.clear();
        ImGui::TextWrapped("Click a message, an operation bar or an event tick in the timeline, or a row of the event list.");
        break;
    case SelectionKind::event: {
        const TraceEvent& e = m.event(s.selection.index);
        s.inspector_heading = fmt::format("Event #{}: {}", e.index, to_string(e.kind));
        ImGui::TextUnformatted(s.inspector_heading.c_str());
        if (ImGui::BeginTable("event", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
            auto row = [](const char* k, const std::string& v) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextDisabled("%s", k);
                ImGui::TableNextColumn();
                ImGui::TextWrapped("%s", v.c_str());
            };
            row("true time", format_time(e.time));
            row("local clock", format_time(e.local_time) + fmt::format("  (skew {})", format_duration(e.local_time - e.time)));
            row("Lamport", std::to_string(e.lamport));
            row("node", node_label(m, e.node));
            if (e.peer != no_node) row("peer", node_label(m, e.peer));
            if (e.name) row("name", m.name(e.name));
            if (e.id) row("id", std::to_string(e.id));
            if (e.kind == EventKind::drop) row("reason", std::string(to_string(static_cast<DropReason>(e.reason))));
            if (!e.text.empty()) row("text", e.text);
            if (e.cause != no_event) row("cause", fmt::format("event #{}", e.cause));
            ImGui::EndTable();
        }
        if (e.cause != no_event && ImGui::Button("Go to cause")) select_event(s, e.cause, true);
        if (auto mi = m.message_of_event(e.index)) {
            ImGui::SameLine();
            if (ImGui::Button("Select its message")) select_message(s, *mi);
        }
        if (auto oi = m.op_of_event(e.index)) {
            ImGui::SameLine();
            if (ImGui::Button("Select its operation")) select_op(s, *oi);
        }
        break;
    }
    case SelectionKind::message: {
        const Message& msg = m.messages()[s.selection.index];
        s.inspector_heading = fmt::format("Message {}: {} -> {}", m.name(msg.type), m.node_name(msg.from), m.node_name(msg.to));
        ImGui::TextUnformatted(s.inspector_heading.c_str());
        ImGui::Text("sent at %s (event #%llu)", format_time(msg.sent_at).c_str(), static_cast<unsigned long long>(msg.send));
        if (msg.is_copy()) ImGui::Text("a duplicate made by the network (event #%llu)", static_cast<unsigned long long>(msg.copy));
        ImGui::Text("%s at %s", std::string(to_string(msg.fate)).c_str(), format_time(msg.ended_at).c_str());
        if (msg.fate == MessageFate::dropped)
            ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "reason: %s", std::string(to_string(msg.reason)).c_str());
        if (msg.fate == MessageFate::delivered) ImGui::Text("latency %s", format_duration(msg.ended_at - msg.sent_at).c_str());
        const std::string& payload = m.event(msg.send).text;
        ImGui::TextWrapped("payload: %s", payload.empty() ? "(recorded without payload text)" : payload.c_str());
        if (ImGui::Button("Go to send")) select_event(s, msg.send, true);
        if (msg.end != no_event) {
            ImGui::SameLine();
            if (ImGui::Button(msg.fate == MessageFate::delivered ? "Go to delivery" : "Go to drop")) select_event(s, msg.end, true);
        }
        bool in_flight_at_cursor = msg.sent_at <= s.cursor && s.cursor < msg.ended_at;
        if (in_flight_at_cursor) {
            if (s.run.editable && ImGui::Button("What if: drop it at the cursor and re-run")) {
                uint64_t id = msg.id;
                Instant at = s.cursor;
                rerun_with(s, [&](ViewRunSpec& spec) { spec.edits.dropped_messages.push_back({at, id}); });
            }
        } else {
            ImGui::TextDisabled("(move the cursor into its flight to drop it by hand)");
        }
        break;
    }
    case SelectionKind::op: {
        const ClientOp& op = m.ops()[s.selection.index];
        s.inspector_heading = fmt::format("Operation {} on {}", op.operation, m.node_name(op.client));
        ImGui::TextUnformatted(s.inspector_heading.c_str());
        ImGui::Text("result: %s (%s)", op.result.c_str(), op.outcome ? std::string(to_string(*op.outcome)).c_str() : "still running");
        ImGui::Text("%s .. %s  (%s)", format_time(op.begin).c_str(), format_time(op.end).c_str(), format_duration(op.end - op.begin).c_str());
        for (const VerdictMark& v : m.verdicts())
            if (std::find(v.ops.begin(), v.ops.end(), s.selection.index) != v.ops.end())
                ImGui::TextWrapped("part of the counterexample: %s", v.summary.c_str());
        if (ImGui::Button("Go to invocation")) select_event(s, op.invoke, true);
        break;
    }
    case SelectionKind::node: ImGui::Text("Node %s", m.node_name(static_cast<NodeId>(s.selection.index)).c_str()); break;
    }
    if (s.highlight.active()) {
        std::size_t past = 0, future = 0;
        for (uint8_t b : s.highlight.past) past += b;
        for (uint8_t b : s.highlight.future) future += b;
        ImGui::Separator();
        ImGui::TextColored(ImVec4(0.12f, 0.37f, 0.75f, 1), "blue: %zu events causally before", past - 1);
        ImGui::SameLine();
        ImGui::TextColored(ImVec4(0.85f, 0.45f, 0.05f, 1), "orange: %zu after", future - 1);
        help_marker("Happened-before (Lamport): program order on each node plus send -> receive. Everything else is "
                    "concurrent with the selection and drawn faded.");
        if (ImGui::SmallButton("Clear highlight (Esc)")) clear_selection(s);
    }

    ImGui::Separator();
    ImGui::Text("Nodes at the cursor (%s)", format_time(s.cursor).c_str());
    ImGui::SameLine();
    ImGui::Checkbox("all state", &s.show_all_tracks);
    if (ImGui::BeginTable("nodes", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableSetupColumn("node");
        ImGui::TableSetupColumn("status");
        ImGui::TableSetupColumn("role / term");
        ImGui::TableSetupColumn("clock skew");
        ImGui::TableSetupColumn("state", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableHeadersRow();
        for (const Lane& lane : m.lanes()) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::Text("%s", lane.name.c_str());
            ImGui::TableNextColumn();
            if (lane.is_down(s.cursor)) ImGui::TextColored(ImVec4(0.5f, 0.5f, 0.5f, 1), "down");
            else if (lane.is_paused(s.cursor)) ImGui::TextColored(ImVec4(0.48f, 0.43f, 0.69f, 1), "paused");
            else ImGui::Text("up");
            ImGui::TableNextColumn();
            std::string role, term;
            if (const StateTrack* r = lane.track("role")) role = r->value_at(s.cursor);
            if (const StateTrack* t = lane.track("term")) term = t->value_at(s.cursor);
            ImGui::Text("%s%s%s", role.empty() ? (lane.is_client ? "client" : "-") : role.c_str(), term.empty() ? "" : " t", term.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%s", format_duration(nanoseconds(lane.clock_offset_ns(s.cursor))).c_str());
            ImGui::TableNextColumn();
            std::string state;
            for (const StateTrack& t : lane.tracks) {
                if (!s.show_all_tracks && (t.key == "role" || t.key == "term")) continue;
                const std::string& v = t.value_at(s.cursor);
                if (!v.empty()) state += fmt::format("{}{}={}", state.empty() ? "" : " ", t.key, v);
            }
            ImGui::TextWrapped("%s", state.c_str());
        }
        ImGui::EndTable();
    }
}

// ============================================================================================
// [summary]
// ============================================================================================

void draw_summary(ViewerState& s) {
    const RunModel& m = s.model();
    ImGui::Text("%s", m.info().title.c_str());
    ImGui::Text("seed %llu, trace hash %016llx", static_cast<unsigned long long>(m.info().seed),
                static_cast<unsigned long long>(m.info().trace_hash));
    ImGui::Text("%s of virtual time, %zu events, %zu nodes", format_time(m.end()).c_str(), m.events().size(), m.lanes().size());
    std::size_t delivered = 0, dropped = 0, copies = 0, in_flight = 0;
    std::size_t reasons[16] = {};
    for (const Message& msg : m.messages()) {
        delivered += msg.fate == MessageFate::delivered;
        dropped += msg.fate == MessageFate::dropped;
        in_flight += msg.fate == MessageFate::in_flight;
        copies += msg.is_copy();
        if (msg.fate == MessageFate::dropped && static_cast<int>(msg.reason) < 16) ++reasons[static_cast<int>(msg.reason)];
    }
    ImGui::Text("messages: %zu (%zu delivered, %zu dropped, %zu duplicates, %zu in flight at the end)", m.messages().size(),
                delivered, dropped, copies, in_flight);
    for (int r = 1; r < 16; ++r)
        if (reasons[r]) ImGui::BulletText("dropped, %s: %zu", std::string(to_string(static_cast<DropReason>(r))).c_str(), reasons[r]);
    std::size_t ok = 0, fail = 0, info = 0, running = 0;
    for (const ClientOp& op : m.ops()) {
        if (!op.outcome) ++running;
        else if (*op.outcome == ClientOutcome::ok) ++ok;
        else if (*op.outcome == ClientOutcome::fail) ++fail;
        else ++info;
    }
    ImGui::Text("client operations: %zu ok, %zu fail, %zu info, %zu running", ok, fail, info, running);
    ImGui::Text("faults applied: %zu", m.faults().size());
    ImGui::Separator();
    if (m.verdicts().empty()) ImGui::TextDisabled("No checker ran on this run.");
    for (const VerdictMark& v : m.verdicts()) {
        ImVec4 col = !v.ok ? ImVec4(0.85f, 0.05f, 0.5f, 1) : v.decided ? ImVec4(0.1f, 0.55f, 0.2f, 1) : ImVec4(0.7f, 0.5f, 0.0f, 1);
        ImGui::TextColored(col, "%s", v.summary.c_str());
        if (!v.ok && ImGui::Button("Jump to the counterexample (J)")) jump_to_failure(s);
        ImGui::BeginChild("explanation", ImVec2(0, 0), true, ImGuiWindowFlags_HorizontalScrollbar);
        ImGui::TextUnformatted(v.explanation.c_str());
        ImGui::EndChild();
    }
}

// ============================================================================================
// [faults and what-if]
// ============================================================================================

void draw_faults(ViewerState& s) {
    const RunModel& m = s.model();
    if (!s.run.editable) {
        ImGui::TextWrapped("This run cannot be re-run here (its stored scenario no longer parses): it is shown as stored.");
        ImGui::Text("Applied (from the trace): click to go there");
        for (const FaultMark& f : m.faults()) {
            std::string line = fmt::format("{:>12}  {:<12} {:<4} {}", format_time(f.at), to_string(f.kind), node_label(m, f.node), f.text);
            if (ImGui::Selectable(fmt::format("{}##f{}", line, f.event).c_str(), false)) select_event(s, f.event, true);
        }
        return;
    }
    if (s.run.stored)
        ImGui::TextWrapped("Stored run %lld: an edit re-runs its scenario (seed %llu) with the edit; the scenario's "
                           "own faults and nemesis stay as they are unless you untick them below.",
                           static_cast<long long>(s.run.stored->run_id), static_cast<unsigned long long>(s.run.spec.seed));
    std::vector<std::string> names;
    for (const Lane& l : m.lanes()) names.push_back(l.name);
    draw_live(s);
    if (s.live) s.cursor = s.live->now();
    if (!s.live)
        ImGui::TextWrapped("What if? Add a fault at the cursor (%s) or leave one out: the run is re-run from the same seed with "
                           "the edited schedule. Nothing is patched: the picture is the new run.",
                           format_time(s.cursor).c_str());
    else
        ImGui::TextWrapped("Live: these act on the live run now (%s).", format_time(s.cursor).c_str());
    ImGui::SetNextItemWidth(80);
    if (ImGui::BeginCombo("node", names.at(static_cast<std::size_t>(s.edit_node)).c_str())) {
        for (std::size_t i = 0; i < names.size(); ++i)
            if (ImGui::Selectable(names[i].c_str(), static_cast<int>(i) == s.edit_node)) s.edit_node = static_cast<int>(i);
        ImGui::EndCombo();
    }
    auto node = static_cast<NodeId>(s.edit_node);
    Instant at = s.cursor;
    ImGui::SameLine();
    bool crash_clicked = ImGui::Button("Crash");
    note_item(s, "edit:crash");
    if (crash_clicked) rerun_with(s, [&](ViewRunSpec& sp) { sp.edits.added.push_back({at, faults::Crash{node}}); });
    ImGui::SameLine();
    bool restart_clicked = ImGui::Button("Restart");
    note_item(s, "edit:restart");
    if (restart_clicked) rerun_with(s, [&](ViewRunSpec& sp) { sp.edits.added.push_back({at, faults::Restart{node}}); });
    ImGui::SameLine();
    if (ImGui::Button("Isolate")) {
        std::size_t n = names.size();
        rerun_with(s, [&](ViewRunSpec& sp) { sp.edits.added.push_back({at, faults::PartitionNetwork{Partition::isolate(n, node)}}); });
    }
    ImGui::SameLine();
    bool heal_clicked = ImGui::Button("Heal");
    note_item(s, "edit:heal");
    if (heal_clicked) rerun_with(s, [&](ViewRunSpec& sp) { sp.edits.added.push_back({at, faults::Heal{}}); });
    ImGui::SetNextItemWidth(90);
    ImGui::DragFloat("##pause", &s.edit_pause_ms, 1, 1, 5000, "%.0f ms");
    ImGui::SameLine();
    if (ImGui::Button("Pause")) {
        Duration d = milliseconds(static_cast<int64_t>(s.edit_pause_ms));
        rerun_with(s, [&](ViewRunSpec& sp) { sp.edits.added.push_back({at, faults::Pause{node, d}}); });
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90);
    ImGui::DragFloat("##jump", &s.edit_jump_ms, 1, -5000, 5000, "%+.0f ms");
    ImGui::SameLine();
    bool jump_clicked = ImGui::Button("Clock jump");
    note_item(s, "edit:clock_jump");
    if (jump_clicked) {
        Duration d = milliseconds(static_cast<int64_t>(s.edit_jump_ms));
        rerun_with(s, [&](ViewRunSpec& sp) { sp.edits.added.push_back({at, faults::ClockJump{node, d}}); });
    }
    ImGui::SetNextItemWidth(90);
    ImGui::DragFloat("##drift", &s.edit_drift_ppm, 10, -100000, 100000, "%+.0f ppm");
    ImGui::SameLine();
    if (ImGui::Button("Clock drift")) {
        double ppm = s.edit_drift_ppm;
        rerun_with(s, [&](ViewRunSpec& sp) { sp.edits.added.push_back({at, faults::ClockDrift{node, ppm}}); });
    }
    ImGui::TextDisabled("Partition: tick side B (the rest is side A), or click nodes on the map");
    for (std::size_t i = 0; i < s.edit_side_b.size(); ++i) {
        if (i) ImGui::SameLine();
        bool b = s.edit_side_b[i] != 0;
        if (ImGui::Checkbox(fmt::format("{}##b{}", names[i], i).c_str(), &b)) s.edit_side_b[i] = b;
    }
    ImGui::SetNextItemWidth(90);
    ImGui::DragFloat("##heal", &s.edit_heal_after_ms, 5, 0, 10000, "heal +%.0f ms");
    ImGui::SameLine();
    bool partition_clicked = ImGui::Button("Partition A | B at the cursor");
    note_item(s, "edit:partition");
    if (partition_clicked) {
        std::vector<NodeId> a, b;
        for (std::size_t i = 0; i < s.edit_side_b.size(); ++i) (s.edit_side_b[i] ? b : a).push_back(static_cast<NodeId>(i));
        if (a.empty() || b.empty()) {
            s.status = "a partition needs nodes on both sides";
        } else {
            std::size_t n = names.size();
            Duration heal_after = milliseconds(static_cast<int64_t>(s.edit_heal_after_ms));
            rerun_with(s, [&](ViewRunSpec& sp) {
                sp.edits.added.push_back({at, faults::PartitionNetwork{Partition::groups(n, {a, b})}});
                if (heal_after > Duration::zero()) sp.edits.added.push_back({at + heal_after, faults::Heal{}});
            });
        }
    }
    if (s.before_edit) {
        ImGui::Checkbox("Show the run before the last edit, side by side", &s.side_by_side);
    }
    if (s.run.stored && !s.run.spec.edits.empty() && ImGui::Button("Save this edited run to the run store")) {
        auto saved = save_edited_run(s.run, s.run.stored->db);
        if (auto* id = std::get_if<int64_t>(&saved))
            s.status = fmt::format("saved the edited run as run {} in {} (replay: faultline replay {} --db {})", *id,
                                   s.run.stored->db, *id, s.run.stored->db);
        else
            s.status = "cannot save the edited run: " + std::get<std::string>(saved);
    }

    ImGui::Separator();
    ImGui::Text("Schedule (%zu planned)", s.run.planned.size());
    help_marker("The scenario's faults: scripted ones, and those the nemesis draws from the seed. Untick a fault to "
                "leave it out; added faults can be removed.");
    ImGui::BeginChild("schedule", ImVec2(0, 150), true);
    for (std::size_t i = 0; i < s.run.planned.size(); ++i) {
        const auto& f = s.run.planned[i];
        const auto& removed = s.run.spec.edits.removed;
        bool keep = std::find(removed.begin(), removed.end(), i) == removed.end();
        if (ImGui::Checkbox(fmt::format("{:>10}  {}##n{}", format_time(f.at), faults::describe(f.fault, names), i).c_str(), &keep)) {
            rerun_with(s, [&](ViewRunSpec& sp) {
                auto& r = sp.edits.removed;
                if (keep) r.erase(std::remove(r.begin(), r.end(), i), r.end());
                else r.push_back(i);
            });
            break;
        }
    }
    for (std::size_t i = 0; i < s.run.spec.edits.added.size(); ++i) {
        const auto& f = s.run.spec.edits.added[i];
        if (ImGui::SmallButton(fmt::format("remove##a{}", i).c_str())) {
            rerun_with(s, [&](ViewRunSpec& sp) { sp.edits.added.erase(sp.edits.added.begin() + static_cast<std::ptrdiff_t>(i)); });
            break;
        }
        ImGui::SameLine();
        ImGui::TextColored(ImVec4(0.1f, 0.3f, 0.7f, 1), "%10s  %s (added)", format_time(f.at).c_str(), faults::describe(f.fault, names).c_str());
    }
    for (std::size_t i = 0; i < s.run.spec.edits.dropped_messages.size(); ++i) {
        if (ImGui::SmallButton(fmt::format("remove##d{}", i).c_str())) {
            rerun_with(s, [&](ViewRunSpec& sp) {
                auto& d = sp.edits.dropped_messages;
                d.erase(d.begin() + static_cast<std::ptrdiff_t>(i));
            });
            break;
        }
        ImGui::SameLine();
        ImGui::TextColored(ImVec4(0.1f, 0.3f, 0.7f, 1), "%10s  drop message %llu in flight (added)",
                           format_time(s.run.spec.edits.dropped_messages[i].first).c_str(),
                           static_cast<unsigned long long>(s.run.spec.edits.dropped_messages[i].second));
    }
    ImGui::EndChild();

    ImGui::Text("Applied (from the trace): click to go there");
    ImGui::BeginChild("applied", ImVec2(0, 0), true);
    for (const FaultMark& f : m.faults()) {
        std::string line = fmt::format("{:>12}  {:<12} {:<4} {}", format_time(f.at), to_string(f.kind), node_label(m, f.node), f.text);
        bool selected = s.selection.kind == SelectionKind::event && s.selection.index == f.event;
        if (ImGui::Selectable(fmt::format("{}##f{}", line, f.event).c_str(), selected)) select_event(s, f.event, true);
        note_item(s, fmt::format("fault:{}", f.event));
    }
    ImGui::EndChild();
}

// ============================================================================================
// [event list]
// ============================================================================================

void draw_event_list(ViewerState& s) {
    const RunModel& m = s.model();
    // Filters.
    ImGui::SetNextItemWidth(110);
    std::size_t shown_nodes = static_cast<std::size_t>(std::count(s.filter.nodes.begin(), s.filter.nodes.end(), 1));
    if (ImGui::BeginCombo("##nodes", shown_nodes == m.lanes().size() ? "all nodes" : fmt::format("{} nodes", shown_nodes).c_str())) {
        for (std::size_t i = 0; i < s.filter.nodes.size(); ++i) {
            bool on = s.filter.nodes[i] != 0;
            if (ImGui::Checkbox(m.node_name(static_cast<NodeId>(i)).c_str(), &on)) {
                s.filter.nodes[i] = on;
                s.filter_dirty = true;
            }
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(150);
    static const char* kind_presets[] = {"all kinds", "no timers/fibers", "messages", "faults", "state", "client ops"};
    int& kind_preset = s.kind_preset;
    if (ImGui::Combo("##kinds", &kind_preset, kind_presets, IM_ARRAYSIZE(kind_presets))) s.filter_dirty = true;
    ImGui::SameLine();
    ImGui::SetNextItemWidth(130);
    std::string type_label = s.filter.message_type ? m.name(s.filter.message_type) : std::string("any message type");
    if (ImGui::BeginCombo("##type", type_label.c_str())) {
        if (ImGui::Selectable("any message type", s.filter.message_type == 0)) {
            s.filter.message_type = 0;
            s.filter_dirty = true;
        }
        for (uint32_t t : m.message_types())
            if (ImGui::Selectable(m.name(t).c_str(), s.filter.message_type == t)) {
                s.filter.message_type = t;
                s.filter_dirty = true;
            }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(180);
    if (ImGui::InputTextWithHint("##text", "search text (e.g. leader, k1)", s.text_filter, sizeof s.text_filter)) s.filter_dirty = true;
    note_item(s, "event_filter_text");
    ImGui::SameLine();
    ImGui::Checkbox("follow cursor", &s.list_follow_cursor);
    ImGui::SameLine();
    ImGui::Checkbox("in view only", &s.list_in_view_only);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("List only the events inside the timeline's visible time range");
    {
        uint64_t kinds = ~uint64_t{0};
        auto bit = EventFilter::bit;
        switch (kind_preset) {
        case 1: kinds = ~EventFilter::quiet_kinds(); break;
        case 2: kinds = bit(EventKind::send) | bit(EventKind::deliver) | bit(EventKind::drop) | bit(EventKind::duplicate); break;
        case 3: kinds = 0; for (int k = 0; k < event_kind_count; ++k) if (is_fault_kind(static_cast<EventKind>(k))) kinds |= uint64_t{1} << k; break;
        case 4: kinds = bit(EventKind::annotate) | bit(EventKind::log); break;
        case 5: kinds = bit(EventKind::client_invoke) | bit(EventKind::client_complete); break;
        default: break;
        }
        if (kinds != s.filter.kinds) {
            s.filter.kinds = kinds;
            s.filter_dirty = true;
        }
    }
    if (s.filter_dirty) refresh_filter(s);
    // The rows: the filtered events, optionally cut to the visible range (both are in time order).
    std::size_t first_row = 0, end_row = s.filtered.size();
    if (s.list_in_view_only) {
        auto by_time = [&](EventIndex e, Instant t) { return m.event(e).time < t; };
        first_row = static_cast<std::size_t>(
            std::lower_bound(s.filtered.begin(), s.filtered.end(), s.axis.time_of(s.view_a0), by_time) - s.filtered.begin());
        end_row = static_cast<std::size_t>(
            std::lower_bound(s.filtered.begin(), s.filtered.end(), s.axis.time_of(s.view_a1), by_time) - s.filtered.begin());
        end_row = std::max(end_row, first_row);
    }
    ImGui::SameLine();
    ImGui::TextDisabled("%zu of %zu events", end_row - first_row, m.events().size());

    // The list.
    const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("events", 6, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#", 0, 60);
    ImGui::TableSetupColumn("true time", 0, 100);
    ImGui::TableSetupColumn("node", 0, 40);
    ImGui::TableSetupColumn("kind", 0, 110);
    ImGui::TableSetupColumn("peer", 0, 40);
    ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    const float row_h = ImGui::GetTextLineHeightWithSpacing();
    // Sync with the timeline: follow the cursor, or bring the selection into view.
    Instant& followed = s.list_followed;
    if (s.list_scroll_to_selection && s.selection.kind == SelectionKind::event) {
        auto it = std::lower_bound(s.filtered.begin(), s.filtered.end(), static_cast<EventIndex>(s.selection.index));
        float row = static_cast<float>(it - s.filtered.begin()) - static_cast<float>(first_row);
        ImGui::SetScrollY(std::max(0.0f, row) * row_h - row_h * 3);
        s.list_scroll_to_selection = false;
        followed = s.cursor;
    } else if (s.list_follow_cursor && s.cursor != followed) {
        auto it = std::lower_bound(s.filtered.begin(), s.filtered.end(), s.cursor,
                                   [&](EventIndex e, Instant t) { return m.event(e).time < t; });
        float row = static_cast<float>(it - s.filtered.begin()) - static_cast<float>(first_row);
        ImGui::SetScrollY(std::max(0.0f, row) * row_h);
        followed = s.cursor;
    }
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(end_row - first_row), row_h);
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const TraceEvent& e = m.event(s.filtered[first_row + static_cast<std::size_t>(row)]);
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            bool selected = s.selection.kind == SelectionKind::event && s.selection.index == e.index;
            if (ImGui::Selectable(fmt::format("{}##row", e.index).c_str(), selected, ImGuiSelectableFlags_SpanAllColumns)) {
                select_event(s, e.index, true);
                s.list_scroll_to_selection = false;
                followed = s.cursor;
            }
            note_item(s, fmt::format("event_row:{}", e.index));
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_time(e.time).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(node_label(m, e.node).c_str());
            ImGui::TableNextColumn();
            ImGui::TextColored(kind_colour(e.kind), "%s", std::string(to_string(e.kind)).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(e.peer == no_node ? "" : m.node_name(e.peer).c_str());
            ImGui::TableNextColumn();
            std::string what = describe_event(m, e);
            ImGui::TextUnformatted(what.c_str());
        }
    }
    ImGui::EndTable();
}

// ============================================================================================
// [cluster map]
// ============================================================================================

void draw_cluster_map(ViewerState& s) {
    const RunModel& m = s.model();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 p0 = ImGui::GetCursorScreenPos(), avail = ImGui::GetContentRegionAvail();
    ImGui::InvisibleButton("map", ImVec2(std::max(avail.x, 1.0f), std::max(avail.y, 1.0f)));
    bool hovered = ImGui::IsItemHovered();
    ImVec2 mouse = ImGui::GetIO().MousePos;
    dl->AddRectFilled(p0, ImVec2(p0.x + avail.x, p0.y + avail.y), IM_COL32(255, 255, 255, 255));
    const PartitionSpan* part = m.partition_at(s.cursor);
    // Servers on a circle, clients in a row below.
    std::vector<ImVec2> pos(m.lanes().size());
    std::vector<NodeId> servers, clients;
    for (const Lane& l : m.lanes()) (l.is_client ? clients : servers).push_back(l.node);
    ImVec2 centre(p0.x + avail.x / 2, p0.y + avail.y * 0.47f);
    float radius = std::min(avail.x * 0.36f, avail.y * 0.27f);
    for (std::size_t i = 0; i < servers.size(); ++i) {
        float a = -1.5708f + 6.2832f * static_cast<float>(i) / static_cast<float>(std::max<std::size_t>(1, servers.size()));
        pos[servers[i]] = ImVec2(centre.x + radius * std::cos(a), centre.y + radius * std::sin(a));
    }
    for (std::size_t i = 0; i < clients.size(); ++i)
        pos[clients[i]] = ImVec2(p0.x + avail.x * (static_cast<float>(i) + 1) / (static_cast<float>(clients.size()) + 1), p0.y + avail.y - 24);
    // Partition sides behind the nodes.
    if (part && part->groups.size() >= 2)
        for (std::size_t g = 0; g < part->groups.size(); ++g)
            for (NodeId n : part->groups[g]) dl->AddCircleFilled(pos[n], 24, colour(palette::group(static_cast<int>(g)), 0.3f));
    // Links between servers: grey when up, red dashes when cut at the cursor.
    for (std::size_t i = 0; i < servers.size(); ++i)
        for (std::size_t j = i + 1; j < servers.size(); ++j) {
            NodeId a = servers[i], b = servers[j];
            bool cut = part && (part->is_cut(a, b) || part->is_cut(b, a));
            if (!cut) {
                dl->AddLine(pos[a], pos[b], IM_COL32(0, 0, 0, 35), 1.0f);
                continue;
            }
            for (int k = 0; k < 10; k += 2) {
                float f0 = k / 10.0f, f1 = (k + 1) / 10.0f;
                dl->AddLine(ImVec2(pos[a].x + (pos[b].x - pos[a].x) * f0, pos[a].y + (pos[b].y - pos[a].y) * f0),
                            ImVec2(pos[a].x + (pos[b].x - pos[a].x) * f1, pos[a].y + (pos[b].y - pos[a].y) * f1), colour(palette::drop, 0.8f), 2.0f);
            }
        }
    // Messages in flight at the cursor, as dots moving along their link.
    const auto& msgs = m.messages();
    auto first = std::lower_bound(msgs.begin(), msgs.end(), s.cursor - m.longest_flight(),
                                  [](const Message& msg, Instant t) { return msg.sent_at < t; });
    int dots = 0;
    for (auto it = first; it != msgs.end() && it->sent_at <= s.cursor && dots < 400; ++it) {
        if (it->ended_at <= s.cursor) continue;
        float f = static_cast<float>(static_cast<double>((s.cursor - it->sent_at).ns()) /
                                     static_cast<double>(std::max<int64_t>(1, (it->ended_at - it->sent_at).ns())));
        ImVec2 a = pos[it->from], b = pos[it->to];
        uint32_t rgb = palette::message_type(m.message_type_slot(it->type));
        dl->AddLine(a, b, colour(rgb, 0.25f), 1.5f);
        dl->AddCircleFilled(ImVec2(a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f), 4, colour(palette::message_type(m.message_type_slot(it->type))));
        ++dots;
    }
    // Nodes.
    int hovered_node = -1;
    for (const Lane& l : m.lanes()) {
        ImVec2 p = pos[l.node];
        bool down = l.is_down(s.cursor), paused = l.is_paused(s.cursor);
        std::string role;
        if (const StateTrack* r = l.track("role")) role = r->value_at(s.cursor);
        uint32_t fill = down ? palette::down : palette::role(role) ? palette::role(role) : 0xFFFFFF;
        float r = l.is_client ? 13 : 17;
        dl->AddCircleFilled(p, r, colour(fill, down ? 0.7f : 1.0f));
        dl->AddCircle(p, r, paused ? colour(palette::paused) : IM_COL32(40, 40, 40, 255), 24, paused ? 4.0f : 1.5f);
        if (s.edit_node == static_cast<int>(l.node)) dl->AddCircle(p, r + 4, colour(0x1F5FBF), 24, 2.0f);
        if (!s.edit_side_b.empty() && s.edit_side_b[l.node]) dl->AddText(ImVec2(p.x + r - 2, p.y - r - 6), colour(0x1F5FBF), "B");
        ImVec2 ts = ImGui::CalcTextSize(l.name.c_str());
        dl->AddText(ImVec2(p.x - ts.x / 2, p.y - ts.y / 2), IM_COL32(0, 0, 0, 255), l.name.c_str());
        std::string sub = down ? "down" : paused ? "paused" : l.is_client ? "" : role;
        if (!sub.empty()) {
            ImVec2 ss = ImGui::CalcTextSize(sub.c_str());
            dl->AddText(ImVec2(p.x - ss.x / 2, p.y + r + 1), IM_COL32(80, 80, 80, 255), sub.c_str());
        }
        float dx = mouse.x - p.x, dy = mouse.y - p.y;
        if (hovered && dx * dx + dy * dy <= r * r) hovered_node = static_cast<int>(l.node);
    }
    std::string title = !part ? std::string("network whole")
                        : part->groups.size() >= 2 || part->shape.size() < 40
                            ? fmt::format("partition {}", part->shape)
                            : fmt::format("partition: {} directed links cut (red dashes)", part->cut.size());
    dl->AddText(ImVec2(p0.x + 4, p0.y + 2), IM_COL32(90, 90, 90, 255), title.c_str());
    dl->AddText(ImVec2(p0.x + 4, p0.y + 18), IM_COL32(120, 120, 120, 255), fmt::format("{} messages in flight", dots).c_str());
    for (const Lane& l : m.lanes()) {
        float r = l.is_client ? 13 : 17;
        s.layout[fmt::format("map:{}", l.name)] = ViewerState::Rect{ImVec2(pos[l.node].x - r, pos[l.node].y - r),
                                                                    ImVec2(pos[l.node].x + r, pos[l.node].y + r)};
    }
    // Dragging a node puts it on a side of the next partition: dropped on the left half, side A;
    // on the right half, side B (the "Partition A | B" button then cuts between them).
    const bool dragging = s.map_drag_node >= 0 && ImGui::IsMouseDown(ImGuiMouseButton_Left) &&
                          ImGui::IsMouseDragging(ImGuiMouseButton_Left, 4);
    if (dragging) {
        float mid = p0.x + avail.x / 2, bottom = p0.y + avail.y;
        bool to_b = mouse.x >= mid;
        dl->AddRectFilled(ImVec2(p0.x, p0.y), ImVec2(mid, bottom), colour(palette::group(0), to_b ? 0.06f : 0.18f));
        dl->AddRectFilled(ImVec2(mid, p0.y), ImVec2(p0.x + avail.x, bottom), colour(palette::group(1), to_b ? 0.18f : 0.06f));
        dl->AddText(ImVec2(p0.x + 8, bottom - 20), IM_COL32(60, 60, 60, 255), "drop here: side A");
        dl->AddText(ImVec2(mid + 8, bottom - 20), IM_COL32(60, 60, 60, 255), "drop here: side B");
        const Lane& l = m.lane(static_cast<NodeId>(s.map_drag_node));
        dl->AddCircle(mouse, 17, IM_COL32(40, 40, 40, 200), 24, 2.0f);
        ImVec2 ts = ImGui::CalcTextSize(l.name.c_str());
        dl->AddText(ImVec2(mouse.x - ts.x / 2, mouse.y - ts.y / 2), IM_COL32(0, 0, 0, 255), l.name.c_str());
    }
    if (s.map_drag_node >= 0 && ImGui::IsMouseReleased(ImGuiMouseButton_Left)) {
        if (ImGui::GetIO().MouseDragMaxDistanceSqr[0] > 16.0f && static_cast<std::size_t>(s.map_drag_node) < s.edit_side_b.size())
            s.edit_side_b[static_cast<std::size_t>(s.map_drag_node)] = mouse.x >= p0.x + avail.x / 2 ? 1 : 0;
        s.map_drag_node = -1;
    }
    if (hovered_node >= 0) {
        const Lane& l = m.lane(static_cast<NodeId>(hovered_node));
        if (!dragging)
            ImGui::SetTooltip("%s: click to pick it for the what-if editor; drag it to the right half (side B) or the\n"
                              "left half (side A) of a partition, or shift-click to flip its side", l.name.c_str());
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
            if (ImGui::GetIO().KeyShift && static_cast<std::size_t>(hovered_node) < s.edit_side_b.size())
                s.edit_side_b[static_cast<std::size_t>(hovered_node)] ^= 1;
            else
                s.edit_node = hovered_node;
            s.map_drag_node = hovered_node;
        }
    }
}

// ============================================================================================
// [help]
// ============================================================================================

void draw_help(ViewerState& s) {
    ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + 120, vp->WorkPos.y + 80), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(640, std::min(820.0f, vp->WorkSize.y - 100)), ImGuiCond_FirstUseEver);
    if (!ImGui::Begin("Help: legend and shortcuts", &s.show_help)) {
        ImGui::End();
        return;
    }
    const RunModel& m = s.model();
    ImGui::TextWrapped("One lane per node; true time runs to the right (L: Lamport time). Every picture is the recorded run "
                       "at the cursor: what-if edits re-run the seed with a changed fault schedule; a live run (Faults & "
                       "what-if) is advanced step by step and hurt by hand, and kept as a run that replays. --compare shows "
                       "a second run below, its first difference marked (D).");
    ImGui::Separator();
    ImGui::Text("Legend");
    ImDrawList* dl = ImGui::GetWindowDrawList();
    auto item = [&](auto&& glyph, const char* label) {
        ImVec2 p = ImGui::GetCursorScreenPos();
        glyph(dl, ImVec2(p.x + 4, p.y + 2), ImVec2(p.x + 36, p.y + 16));
        ImGui::Dummy(ImVec2(40, 18));
        ImGui::SameLine();
        ImGui::TextUnformatted(label);
    };
    for (uint32_t t : m.message_types()) {
        uint32_t rgb = palette::message_type(m.message_type_slot(t));
        item([&](ImDrawList* d, ImVec2 a, ImVec2 b) { d->AddLine(ImVec2(a.x, (a.y + b.y) / 2), ImVec2(b.x, (a.y + b.y) / 2), colour(rgb), 2); },
             fmt::format("message: {}", m.name(t)).c_str());
    }
    item([](ImDrawList* d, ImVec2 a, ImVec2 b) {
        for (float x = a.x; x < b.x; x += 8) d->AddLine(ImVec2(x, (a.y + b.y) / 2), ImVec2(x + 4, (a.y + b.y) / 2), IM_COL32(80, 80, 80, 255), 2);
    }, "dashed: a copy the network duplicated");
    item([](ImDrawList* d, ImVec2 a, ImVec2 b) {
        ImVec2 c((a.x + b.x) / 2, (a.y + b.y) / 2);
        d->AddLine(ImVec2(c.x - 5, c.y - 5), ImVec2(c.x + 5, c.y + 5), colour(palette::drop), 2.2f);
        d->AddLine(ImVec2(c.x - 5, c.y + 5), ImVec2(c.x + 5, c.y - 5), colour(palette::drop), 2.2f);
    }, "red cross: a dropped message (hover for the reason)");
    item([](ImDrawList* d, ImVec2 a, ImVec2 b) {
        ImVec2 c((a.x + b.x) / 2, (a.y + b.y) / 2);
        d->AddLine(ImVec2(c.x - 7, c.y - 7), ImVec2(c.x + 7, c.y + 7), colour(palette::crash), 3.5f);
        d->AddLine(ImVec2(c.x - 7, c.y + 7), ImVec2(c.x + 7, c.y - 7), colour(palette::crash), 3.5f);
    }, "crash; the lane stays grey until the green restart triangle");
    item([](ImDrawList* d, ImVec2 a, ImVec2 b) { d->AddRectFilled(a, b, colour(palette::down, 0.55f)); }, "grey lane: the node is down");
    item([](ImDrawList* d, ImVec2 a, ImVec2 b) {
        d->PushClipRect(a, b, true);
        for (float x = a.x - 16; x < b.x; x += 7) d->AddLine(ImVec2(x, b.y), ImVec2(x + 16, a.y), colour(palette::paused), 1.5f);
        d->PopClipRect();
    }, "hatched: the node is paused (events wait)");
    item([](ImDrawList* d, ImVec2 a, ImVec2 b) { d->AddRectFilled(a, b, colour(palette::role("leader"), 0.4f)); }, "gold lane: leader (orange: candidate)");
    item([](ImDrawList* d, ImVec2 a, ImVec2 b) {
        d->AddRectFilled(a, ImVec2((a.x + b.x) / 2, b.y), colour(palette::group(0), 0.3f));
        d->AddRectFilled(ImVec2((a.x + b.x) / 2, a.y), b, colour(palette::group(1), 0.3f));
    }, "tinted lanes: the sides of a partition");
    item([](ImDrawList* d, ImVec2 a, ImVec2 b) { d->AddRectFilled(a, b, colour(palette::cut, 0.2f)); }, "pink lane: some links cut ('x n2,n4' = cannot reach)");
    item([](ImDrawList* d, ImVec2 a, ImVec2 b) {
        ImVec2 c((a.x + b.x) / 2, (a.y + b.y) / 2);
        d->AddQuadFilled(ImVec2(c.x, c.y - 7), ImVec2(c.x + 6, c.y), ImVec2(c.x, c.y + 7), ImVec2(c.x - 6, c.y), colour(palette::clock_fault));
    }, "diamond: a clock jump or drift change (see the clock skew track)");
    item([](ImDrawList* d, ImVec2 a, ImVec2 b) {
        float w = (b.x - a.x) / 3;
        d->AddRectFilled(a, ImVec2(a.x + w - 1, b.y), colour(palette::op_ok));
        d->AddRectFilled(ImVec2(a.x + w, a.y), ImVec2(a.x + 2 * w - 1, b.y), colour(palette::op_fail));
        d->AddRectFilled(ImVec2(a.x + 2 * w, a.y), b, colour(palette::op_info));
    }, "client operation: ok / fail / info (unknown, e.g. timed out)");
    item([](ImDrawList* d, ImVec2 a, ImVec2 b) { d->AddRect(a, b, colour(palette::counterexample), 3, 0, 2.5f); },
         "magenta: the checker's counterexample (its window shaded)");
    item([](ImDrawList* d, ImVec2 a, ImVec2 b) {
        d->AddLine(ImVec2(a.x, (a.y + b.y) / 2), ImVec2((a.x + b.x) / 2, (a.y + b.y) / 2), colour(0x1F5FBF, 0.5f), 6);
        d->AddLine(ImVec2((a.x + b.x) / 2, (a.y + b.y) / 2), ImVec2(b.x, (a.y + b.y) / 2), colour(0xD9730D, 0.5f), 6);
    }, "blue / orange halo: causally before / after the selection");
    item([](ImDrawList* d, ImVec2 a, ImVec2 b) {
        float x = (a.x + b.x) / 2;
        for (float y = a.y; y < b.y; y += 6) d->AddLine(ImVec2(x, y), ImVec2(x, std::min(y + 4, b.y)), colour(0x7B2CBF), 2);
    }, "dashed violet line: where two runs side by side first differ");
    ImGui::Separator();
    ImGui::Text("Shortcuts");
    if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg)) {
        // The keys are short; the descriptions get the rest of the width, unclipped.
        ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthFixed, 150);
        ImGui::TableSetupColumn("does", ImGuiTableColumnFlags_WidthStretch);
        const char* keys[][2] = {{"mouse wheel", "zoom in/out around the pointer"},
                                 {"drag on lanes", "pan"},
                                 {"click / drag on the ruler", "move the time cursor"},
                                 {"click an item", "select it; inspector shows it, causal past/future highlighted"},
                                 {"Space", "play / pause (a live run: run the world on)"},
                                 {"[  ]", "halve / double the playback speed"},
                                 {"Left / Right", "previous / next event in the event list (filters apply)"},
                                 {"Home / End", "cursor to the start / end"},
                                 {"+ / -", "zoom around the cursor"},
                                 {"F", "fit the whole run"},
                                 {"C", "compress idle time (events evenly spaced)"},
                                 {"L", "Lamport time: events at their Lamport timestamps (L again: true time)"},
                                 {"D", "go to where the two runs side by side first differ"},
                                 {"J", "jump to the failure (checker counterexample)"},
                                 {"Esc", "clear the selection"},
                                 {"H or F1", "this window"}};
        for (auto& k : keys) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(k[0]);
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", k[1]);
        }
        ImGui::EndTable();
    }
    ImGui::End();
}

}  // namespace faultline::view
