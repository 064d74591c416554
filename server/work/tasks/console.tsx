/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { requirePermission } from "../../http/guards.ts";
import { readPostedForm, validateForm } from "../../http/validate-form.ts";
import { taskContext } from "./access.ts";
import { moveForm, moveFromBoard, renderBoard } from "./console-board.tsx";
import {
  createFromForm,
  editTaskForm,
  newTaskForm,
  renderEditTask,
  renderNewTask,
  updateFromForm,
} from "./console-form.tsx";
import { renderMyWork, renderTaskList } from "./console-list.tsx";
import { boardStream, myWorkStream, taskListStream, taskPageStream } from "./console-live.ts";
import { commentForm, commentFromForm, quickChange, quickChangeForm, renderTaskPage } from "./console-task.tsx";
import { commentInput, createTaskInput, moveTaskInput, updateTaskInput } from "./schemas.ts";
import { deleteTask } from "./service.ts";

/** /tasks list, board, my work, task page, and their live streams. The fixed paths come before /tasks/:id. */
export const tasksConsole = new Hono<AppEnv>()
  .get("/", requirePermission("workspace.read"), (c) => renderTaskList(c))
  .get("/stream", requirePermission("workspace.read"), (c) => taskListStream(c))
  .get("/board", requirePermission("workspace.read"), (c) => renderBoard(c))
  .get("/board/stream", requirePermission("workspace.read"), (c) => boardStream(c))
  .get("/mine", requirePermission("workspace.read"), (c) => renderMyWork(c))
  .get("/mine/stream", requirePermission("workspace.read"), (c) => myWorkStream(c))
  .get("/new", requirePermission("tasks.write"), (c) => renderNewTask(c))
  .post("/", requirePermission("tasks.write"), validateForm(createTaskInput, newTaskForm), createFromForm)
  .get("/:id", requirePermission("workspace.read"), (c) => renderTaskPage(c))
  .get("/:id/stream", requirePermission("workspace.read"), (c) => taskPageStream(c))
  .get("/:id/edit", requirePermission("tasks.write"), (c) => renderEditTask(c))
  .post("/:id", requirePermission("tasks.write"), validateForm(updateTaskInput, editTaskForm), updateFromForm)
  .post("/:id/move", requirePermission("tasks.write"), validateForm(moveTaskInput, moveForm), moveFromBoard)
  .post(
    "/:id/status",
    requirePermission("tasks.write"),
    validateForm(updateTaskInput, quickChangeForm("status")),
    quickChange("status"),
  )
  .post(
    "/:id/assignee",
    requirePermission("tasks.write"),
    validateForm(updateTaskInput, quickChangeForm("assigneeId")),
    quickChange("assigneeId"),
  )
  .post("/:id/comments", requirePermission("tasks.write"), validateForm(commentInput, commentForm), commentFromForm)
  .post("/:id/delete", requirePermission("tasks.manage"), async (c) => {
    await readPostedForm(c);
    deleteTask(taskContext(c), c.req.param("id"));
    return redirectTo(c, "/tasks");
  });
