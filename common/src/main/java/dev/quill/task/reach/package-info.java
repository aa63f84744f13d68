/**
 * The {@code reach} task: a planar two-link arm with a gripper that must reach a randomly placed object,
 * grasp it, and carry it to a goal, with an analytic-IK scripted expert.
 */
package dev.quill.task.reach;
