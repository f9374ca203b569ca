package main

import (
	_ "time/tzdata" // CronJob timeZone validation, as in kube-apiserver's main

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

// runKubeAPIServer runs the kube-apiserver command exactly as the
// kube-apiserver binary's main does.
func runKubeAPIServer(args []string) int {
	cmd := app.NewAPIServerCommand()
	cmd.SetArgs(args)
	return cli.Run(cmd)
}
