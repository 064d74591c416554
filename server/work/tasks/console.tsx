/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { readForm, redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { requirePermission } from "../../http/guards.ts";
import { taskContext } from "./access.ts";
import { moveFromBoard, renderBoard } from "./console-board.tsx";
import { createFromForm, renderEditTask, renderNewTask, updateFromForm } from "./console-form.tsx";
import { renderMyWork, renderTaskList } from "./console-list.tsx";
import { boardStream, myWorkStream, taskListStream, taskPageStream } from "./console-live.ts";
import { commentFromForm, quickChange, renderTaskPage } from "./console-task.tsx";
import { deleteTask } from "./service.ts";

/** /tasks list, board, my work, task page, and their live streams. The fixed paths come before /tasks/:id. */
export const tasksConsole = new Hono<AppEnv>()
  .get("/tasks", requirePermission("workspace.read"), (c) => renderTaskList(c))
  .get("/tasks/stream", requirePermission("workspace.read"), (c) => taskListStream(c))
  .get("/tasks/board", requirePermission("workspace.read"), (c) => renderBoard(c))
  .get("/tasks/board/stream", requirePermission("workspace.read"), (c) => boardStream(c))
  .get("/tasks/mine", requirePermission("workspace.read"), (c) => renderMyWork(c))
  .get("/tasks/mine/stream", requirePermission("workspace.read"), (c) => myWorkStream(c))
  .get("/tasks/new", requirePermission("tasks.write"), (c) => renderNewTask(c))
  .post("/tasks", requirePermission("tasks.write"), (c) => createFromForm(c))
  .get("/tasks/:id", requirePermission("workspace.read"), (c) => renderTaskPage(c))
  .get("/tasks/:id/stream", requirePermission("workspace.read"), (c) => taskPageStream(c))
  .get("/tasks/:id/edit", requirePermission("tasks.write"), (c) => renderEditTask(c))
  .post("/tasks/:id", requirePermission("tasks.write"), (c) => updateFromForm(c))
  .post("/tasks/:id/move", requirePermission("tasks.write"), (c) => moveFromBoard(c))
  .post("/tasks/:id/status", requirePermission("tasks.write"), quickChange("status"))
  .post("/tasks/:id/assignee", requirePermission("tasks.write"), quickChange("assigneeId"))
  .post("/tasks/:id/comments", requirePermission("tasks.write"), (c) => commentFromForm(c))
  .post("/tasks/:id/delete", requirePermission("tasks.manage"), async (c) => {
    await readForm(c);
    deleteTask(taskContext(c), c.req.param("id"));
    return redirectTo(c, "/tasks");
  });
