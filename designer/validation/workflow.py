"""The workflow: unique keys, one initial state, a final state, real states, reachability, dead ends, required fields."""

from __future__ import annotations

from collections import deque

from designer.validation.common import RESERVED_FIELDS, _dict, _did_you_mean, _join, _list, _lower, _pointer, _text


class WorkflowChecks:
    """The workflow: unique keys, one initial state, a final state, real states, reachability, dead ends, required fields.

    A mixin of designer.validation.checker.Checker, which provides ``self``.
    """

    def workflow_checks(self) -> None:
        states, transitions = self.states, self.transitions
        seen: dict[str, int] = {}
        for index, state in enumerate(states):
            key = _dict(state).get("key")
            if isinstance(key, str):
                if key in seen:
                    self.error(_join("/workflow/states", index, "key"),
                               self.say("check.workflow.duplicate_state", key=_text(key), first=seen[key] + 1,
                                         second=index + 1), "workflow.duplicate_state")
                else:
                    seen[key] = index
        seen_t: dict[str, int] = {}
        for index, transition in enumerate(transitions):
            key = _dict(transition).get("key")
            if isinstance(key, str):
                if key in seen_t:
                    self.error(_join("/workflow/transitions", index, "key"),
                               self.say("check.workflow.duplicate_transition", key=_text(key), first=seen_t[key] + 1,
                                         second=index + 1), "workflow.duplicate_transition")
                else:
                    seen_t[key] = index
        if not states or not all(isinstance(s, dict) for s in states):
            return
        initials = [i for i, s in enumerate(states) if s.get("initial") is True]
        finals = {i for i, s in enumerate(states) if s.get("final") is True}
        if not initials:
            self.error("/workflow/states", self.say("check.workflow.no_initial_state"), "workflow.no_initial_state")
        for index in initials[1:]:
            first = self.label(["workflow", "states", initials[0]])
            self.error(_join("/workflow/states", index, "initial"),
                       self.say("check.workflow.several_initial_states", name=self.label(["workflow", "states", index]),
                                 first=_lower(first)), "workflow.several_initial_states")
        if not finals:
            self.error("/workflow/states", self.say("check.workflow.no_final_state"), "workflow.no_final_state")
        final_keys = {states[i]["key"] for i in finals if isinstance(states[i].get("key"), str)}
        non_final = [k for k in self.state_keys if k not in final_keys]
        edges: dict[str, set[str]] = {k: set() for k in self.state_keys}
        # With a transition whose from/to is malformed the graph is unknown: reachability would only guess.
        graph_known = True
        automatic_from: dict[str, int] = {}  # state -> the first transition taken on assignment from it
        for index, transition in enumerate(transitions):
            if not isinstance(transition, dict):
                graph_known = False
                continue
            if not isinstance(transition.get("to"), str) or not (
                    transition.get("from") == "*" or (isinstance(transition.get("from"), list)
                                                      and all(isinstance(s, str) for s in transition["from"]))):
                graph_known = False
            name = self.label(["workflow", "transitions", index])
            to = transition.get("to")
            if isinstance(to, str) and to not in self.state_keys:
                self.error(_join("/workflow/transitions", index, "to"),
                           self.say("check.workflow.unknown_to", name=name, state=_text(to))
                           + _did_you_mean(to, self.state_keys), "workflow.unknown_state")
            sources = transition.get("from")
            if sources == "*":
                origins = non_final
            else:
                origins = []
                for j, source in enumerate(_list(sources)):
                    if not isinstance(source, str):
                        continue
                    if source not in self.state_keys:
                        self.error(_join("/workflow/transitions", index, "from", j),
                                   self.say("check.workflow.unknown_from", name=name, state=_text(source))
                                   + _did_you_mean(source, self.state_keys), "workflow.unknown_state")
                    else:
                        origins.append(source)
            if isinstance(to, str) and to in self.state_keys:
                for origin in origins:
                    if origin != to:
                        edges[origin].add(to)
            if transition.get("on") == "assigned":
                for asked in ("require", "checklist"):
                    if _list(transition.get(asked)):
                        self.error(_join("/workflow/transitions", index, asked),
                                   self.say(f"check.workflow.automatic_asks_{asked}", name=name),
                                   "workflow.automatic_asks")
                for origin in origins:
                    if origin in automatic_from:
                        first = self.label(["workflow", "transitions", automatic_from[origin]])
                        self.warning(_join("/workflow/transitions", index, "on"),
                                     self.say("check.workflow.automatic_twice", name=name, first=_lower(first),
                                               state=_text(origin)), "workflow.automatic_twice")
                    else:
                        automatic_from[origin] = index
            scope = {k for k in _dict(transition.get("fields")) if isinstance(k, str)}
            for j, required in enumerate(_list(transition.get("require"))):
                if isinstance(required, str) and required not in self.fields and required not in scope \
                        and required != "comment":
                    self.error(_join("/workflow/transitions", index, "require", j),
                               self.say("check.workflow.unknown_field", name=name, field=_text(required))
                               + _did_you_mean(required, [*self.fields, *scope]), "workflow.unknown_field")
            for field_name, field_schema in _dict(transition.get("fields")).items():
                parts = ["workflow", "transitions", index, "fields", field_name]
                if field_name in RESERVED_FIELDS:
                    self.error(_pointer(parts), self.say("check.workflow.reserved_field", name=name, field=field_name),
                               "workflow.reserved_field")
                elif field_name in self.fields:
                    self.warning(_pointer(parts), self.say("check.workflow.field_shadows_form", name=name,
                                                            field=_text(field_name)), "workflow.field_shadows_form")
                if isinstance(field_schema, dict):
                    self.check_json_schema(field_schema, parts)
                    self.schema_walk(field_schema, parts)
        if len(initials) == 1 and graph_known:
            start = states[initials[0]].get("key")
            if isinstance(start, str) and start in self.state_keys:
                reached = {start}
                queue = deque([start])
                while queue:
                    for target in edges[queue.popleft()]:
                        if target not in reached:
                            reached.add(target)
                            queue.append(target)
                for key, index in self.state_keys.items():
                    if key not in reached:
                        self.error(_join("/workflow/states", index),
                                   self.say("check.workflow.unreachable_state", state=_text(key), start=_text(start)),
                                   "workflow.unreachable_state")
        for key, index in self.state_keys.items():
            if key not in final_keys and not edges[key]:
                self.warning(_join("/workflow/states", index),
                             self.say("check.workflow.dead_end", state=_text(key)), "workflow.dead_end")
