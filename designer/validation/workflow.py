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
                               f"State key '{_text(key)}' is used twice: states {seen[key] + 1} and {index + 1}. "
                               "Each state needs its own key.", "workflow.duplicate_state")
                else:
                    seen[key] = index
        seen_t: dict[str, int] = {}
        for index, transition in enumerate(transitions):
            key = _dict(transition).get("key")
            if isinstance(key, str):
                if key in seen_t:
                    self.error(_join("/workflow/transitions", index, "key"),
                               f"Transition key '{_text(key)}' is used twice: transitions {seen_t[key] + 1} and "
                               f"{index + 1}. Each transition needs its own key.", "workflow.duplicate_transition")
                else:
                    seen_t[key] = index
        if not states or not all(isinstance(s, dict) for s in states):
            return
        initials = [i for i, s in enumerate(states) if s.get("initial") is True]
        finals = {i for i, s in enumerate(states) if s.get("final") is True}
        if not initials:
            self.error("/workflow/states", "No state is marked initial: mark exactly one state (where new tickets "
                                           "start) with \"initial\": true.", "workflow.no_initial_state")
        for index in initials[1:]:
            first = self.label(["workflow", "states", initials[0]])
            self.error(_join("/workflow/states", index, "initial"),
                       f"{self.label(['workflow', 'states', index])} is marked initial, but so is "
                       f"{_lower(first)}: exactly one state may be initial.",
                       "workflow.several_initial_states")
        if not finals:
            self.error("/workflow/states", "No state is marked final: mark at least one state (where tickets end, "
                                           "e.g. closed) with \"final\": true.", "workflow.no_final_state")
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
                           f"{name} goes to state '{_text(to)}', which does not exist."
                           f"{_did_you_mean(to, self.state_keys)}", "workflow.unknown_state")
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
                                   f"{name} leaves from state '{_text(source)}', which does not exist."
                                   f"{_did_you_mean(source, self.state_keys)}", "workflow.unknown_state")
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
                                   f"{name} is taken by itself when the ticket is assigned, so nobody is there to "
                                   f"fill in its {'required fields' if asked == 'require' else 'checklist'}: remove "
                                   f"'{asked}', or remove \"on\": \"assigned\".", "workflow.automatic_asks")
                for origin in origins:
                    if origin in automatic_from:
                        first = self.label(["workflow", "transitions", automatic_from[origin]])
                        self.warning(_join("/workflow/transitions", index, "on"),
                                     f"{name} and {_lower(first)} are both taken on assignment from state "
                                     f"'{_text(origin)}': only the first whose guard holds is.",
                                     "workflow.automatic_twice")
                    else:
                        automatic_from[origin] = index
            scope = {k for k in _dict(transition.get("fields")) if isinstance(k, str)}
            for j, required in enumerate(_list(transition.get("require"))):
                if isinstance(required, str) and required not in self.fields and required not in scope \
                        and required != "comment":
                    self.error(_join("/workflow/transitions", index, "require", j),
                               f"{name} requires '{_text(required)}', which is neither a form field, nor one of the "
                               f"transition's own fields, nor 'comment'.{_did_you_mean(required, [*self.fields, *scope])}",
                               "workflow.unknown_field")
            for field_name, field_schema in _dict(transition.get("fields")).items():
                parts = ["workflow", "transitions", index, "fields", field_name]
                if field_name in RESERVED_FIELDS:
                    self.error(_pointer(parts), f"{name}: the field name '{field_name}' is reserved; rename the field.",
                               "workflow.reserved_field")
                elif field_name in self.fields:
                    self.warning(_pointer(parts), f"{name} asks again for '{_text(field_name)}', which the form already "
                                                  "has; the answer replaces the form's value.",
                                 "workflow.field_shadows_form")
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
                                   f"State '{_text(key)}' cannot be reached: no chain of transitions leads to it from the "
                                   f"initial state '{_text(start)}'.", "workflow.unreachable_state")
        for key, index in self.state_keys.items():
            if key not in final_keys and not edges[key]:
                self.warning(_join("/workflow/states", index),
                             f"State '{_text(key)}' has no way out: it is not final and no transition leaves it, so "
                             "tickets that reach it stay there.", "workflow.dead_end")
