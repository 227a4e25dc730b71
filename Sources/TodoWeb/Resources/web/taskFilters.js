// The task panel's controls: status, search, sort, priority, tag and due date. They become the query of GET /api/tasks.
import { $, debounce, dayStart, endOfWeek } from "./dom.js";

/** How each sort reads best: oldest first, soonest due, most important, A to Z. */
const orders = { created: "asc", due: "asc", priority: "desc", title: "asc" };
let status = "all";

/** Wires the controls; `changed` runs whenever the query changes (typing is debounced). */
export function setUpFilters(changed) {
  for (const button of document.querySelectorAll("[data-filter]")) {
    button.addEventListener("click", () => {
      status = button.dataset.filter;
      for (const other of document.querySelectorAll("[data-filter]")) other.setAttribute("aria-pressed", String(other === button));
      changed();
    });
  }
  const typed = debounce(changed, 250);
  for (const box of ["#task-search", "#task-tag"]) {
    $(box).addEventListener("input", typed);
    $(box).addEventListener("change", typed);
  }
  for (const select of ["#task-sort", "#task-priority", "#task-due"]) $(select).addEventListener("change", changed);
  $("#task-search").addEventListener("keydown", (event) => {
    if (event.key === "Escape" && event.target.value) { event.stopPropagation(); event.target.value = ""; changed(); }
  });
}

/** The query string for the current controls, date bounds computed in the browser's zone. */
export function taskQuery() {
  const params = new URLSearchParams();
  const due = $("#task-due").value;
  if (due === "overdue") {
    params.set("status", "pending");
    params.set("due_before", new Date().toISOString());
  } else {
    if (status !== "all") params.set("status", status);
    if (due === "week") {
      params.set("due_after", dayStart(0).toISOString());
      params.set("due_before", endOfWeek().toISOString());
    } else if (due === "today") {
      params.set("due_after", dayStart(0).toISOString());
      params.set("due_before", dayStart(1).toISOString());
    }
  }
  const search = $("#task-search").value.trim();
  if (search) params.set("q", search);
  const tag = $("#task-tag").value.trim().replace(/^#/, "");
  if (tag) params.set("tag", tag);
  const priority = $("#task-priority").value;
  if (priority) params.set("priority", priority);
  const sort = $("#task-sort").value;
  params.set("sort", sort);
  params.set("order", orders[sort] ?? "asc");
  params.set("limit", "200");
  return params.toString();
}

/** Whether anything narrows the list, so an empty list can say why. */
export function isFiltered() {
  return status !== "all" || Boolean($("#task-search").value.trim() || $("#task-tag").value.trim() || $("#task-priority").value || $("#task-due").value);
}

/** Offers the tags seen so far as suggestions in the tag box. */
export function rememberTags(tasks) {
  const list = $("#task-tag-options");
  const known = new Set([...list.options].map((option) => option.value));
  for (const task of tasks) {
    for (const tag of task.tags || []) {
      if (!known.has(tag)) { known.add(tag); list.append(new Option(tag)); }
    }
  }
}
