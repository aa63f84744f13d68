/**
 * The {@code lane} task: a kinematic-bicycle car on a three-lane road that keeps its lane and changes lanes
 * in time to pass static or slower obstacles, with a lane-choice + pure-pursuit scripted expert.
 */
package dev.quill.task.lane;
